-- Which feeds report an article. An article is written only by the feed that owns it
-- (articles.feed_url, feeds/owners.py); any other feed that delivers the same story is
-- recorded here as reporting it and never overwrites it.

CREATE TABLE article_feeds (
    article_id    VARCHAR NOT NULL,
    feed_url      VARCHAR NOT NULL,
    guid          VARCHAR,                 -- the item's guid in that feed
    first_seen_at TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (article_id, feed_url)
);

INSERT INTO article_feeds (article_id, feed_url, guid, first_seen_at, last_seen_at)
SELECT article_id, feed_url, guid, first_seen_at, updated_at FROM articles WHERE feed_url <> '';
