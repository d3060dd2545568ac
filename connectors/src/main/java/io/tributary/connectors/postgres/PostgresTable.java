package io.tributary.connectors.postgres;

record PostgresTable(String schema, String name) {}
