-- Issue 19: the server instances working on this database, each with a heartbeat. Several
-- instances share one PostgreSQL database; on H2 a second live instance is refused. A row whose
-- heartbeat is older than the lease belongs to an instance that died (its jobs are taken over).
CREATE TABLE server_instances (
    id           VARCHAR(36)  PRIMARY KEY,
    host         VARCHAR(200) NOT NULL,
    pid          BIGINT       NOT NULL,
    address      VARCHAR(300) NOT NULL,
    started_at   BIGINT       NOT NULL,
    heartbeat_at BIGINT       NOT NULL
);
