-- Who proposes mechanisms? Proposals per proposer and status.
SELECT
    coalesce(proposer, '(unknown)') AS proposer,
    status,
    count(*) AS mechanisms,
    list(DISTINCT description ORDER BY description)[1:5] AS examples
FROM mechanisms
GROUP BY ALL
ORDER BY mechanisms DESC, proposer, status;
