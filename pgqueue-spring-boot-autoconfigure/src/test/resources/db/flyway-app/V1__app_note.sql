CREATE TABLE app_flyway_note (id bigint PRIMARY KEY);
