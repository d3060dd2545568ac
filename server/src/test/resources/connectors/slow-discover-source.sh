#!/usr/bin/env bash
# An Airbyte-protocol source whose discover hangs while the file named by "hang_marker" exists.
config=""
while [ $# -gt 0 ]; do
  case "$1" in --config) config="$(cat "$2")"; shift 2 ;; --*) shift 2 ;; *) verb="${verb:-$1}"; shift ;; esac
done
marker="$(printf '%s' "$config" | sed -E 's/.*"hang_marker" *: *"([^"]*)".*/\1/')"
case "$verb" in
  spec) echo '{"type":"SPEC","spec":{"connectionSpecification":{"type":"object","properties":{"hang_marker":{"type":"string"}}}}}' ;;
  check) echo '{"type":"CONNECTION_STATUS","connectionStatus":{"status":"SUCCEEDED"}}' ;;
  discover)
    if [ -e "$marker" ]; then exec sleep 20; fi
    echo '{"type":"CATALOG","catalog":{"streams":[{"name":"events","json_schema":{"type":"object","properties":{"id":{"type":"integer"}}},"supported_sync_modes":["full_refresh"]}]}}' ;;
  read)
    echo '{"type":"RECORD","record":{"stream":"events","data":{"id":1},"emitted_at":0}}'
    echo '{"type":"RECORD","record":{"stream":"events","data":{"id":2},"emitted_at":0}}' ;;
  *) exit 2 ;;
esac
