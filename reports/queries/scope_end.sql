-- The end of a report's scope (scope.sql): its temporary views and variables go.
DROP VIEW IF EXISTS temp.main._ew_report_members;
DROP VIEW IF EXISTS temp.main._ew_report_meetings;
DROP VIEW IF EXISTS temp.main._ew_report_articles;
RESET VARIABLE eventwire_report_since;
RESET VARIABLE eventwire_report_until;
RESET VARIABLE eventwire_report_language;
