#!/usr/bin/env bash
# An Airbyte-protocol source with one stream, "events", of three records, read incrementally on any
# cursor. A read given a state for "events" has nothing new to emit; every read ends with a state.
state=""
while [ $# -gt 0 ]; do
  case "$1" in
    --state) state="$(cat "$2")"; shift 2 ;;
    --*) shift 2 ;;
    *) verb="${verb:-$1}"; shift ;;
  esac
done
stream='{"type":"object","properties":{"id":{"type":"integer"},"updated":{"type":"integer"}}}'
case "$verb" in
  spec) echo '{"type":"SPEC","spec":{"connectionSpecification":{"type":"object","properties":{}}}}' ;;
  check) echo '{"type":"CONNECTION_STATUS","connectionStatus":{"status":"SUCCEEDED"}}' ;;
  discover) echo '{"type":"CATALOG","catalog":{"streams":[{"name":"events","json_schema":'"$stream"',"supported_sync_modes":["full_refresh","incremental"]}]}}' ;;
  read)
    if ! printf '%s' "$state" | grep -q '"events"'; then
      for i in 1 2 3; do
        echo '{"type":"RECORD","record":{"stream":"events","data":{"id":'"$i"',"updated":'"$i"'},"emitted_at":0}}'
      done
    fi
    echo '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"events"},"stream_state":{"position":3}}}}' ;;
  *) exit 2 ;;
esac
