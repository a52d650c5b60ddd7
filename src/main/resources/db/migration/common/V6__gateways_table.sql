-- gateways: one row per gateway serial (the gateway column of every other table) with the name and extra tags its
-- configuration gives it (enphase.gateways[n].name and .tags.*), so that queries and dashboards can join or label by
-- them. tags is a JSON object as text ({"array":"south","site":"home"}); since_time/since_utc is the time of the
-- first reading delivered with this name and these tags. Written by the jdbc sink in the transaction of the readings.
CREATE TABLE gateways (
    gateway VARCHAR(64) NOT NULL PRIMARY KEY,
    name VARCHAR(255),
    tags TEXT NOT NULL,
    since_time BIGINT NOT NULL,
    since_utc VARCHAR(20) NOT NULL
);
