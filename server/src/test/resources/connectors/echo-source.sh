#!/usr/bin/env bash
# A minimal Airbyte-protocol source for tests: one stream "greetings" with two records.
case "$1" in
  spec) echo '{"type":"SPEC","spec":{"connectionSpecification":{"type":"object","required":["greeting"],"properties":{"greeting":{"type":"string","order":0},"token":{"type":"string","airbyte_secret":true}}}}}' ;;
  check) echo '{"type":"CONNECTION_STATUS","connectionStatus":{"status":"SUCCEEDED"}}' ;;
  discover) echo '{"type":"CATALOG","catalog":{"streams":[{"name":"greetings","json_schema":{"type":"object","properties":{"id":{"type":"integer"},"text":{"type":"string"}}},"supported_sync_modes":["full_refresh"]}]}}' ;;
  read)
    echo '{"type":"RECORD","record":{"stream":"greetings","data":{"id":1,"text":"hello"},"emitted_at":0}}'
    echo '{"type":"RECORD","record":{"stream":"greetings","data":{"id":2,"text":"bonjour"},"emitted_at":0}}' ;;
  *) exit 2 ;;
esac
