#!/usr/bin/env bash
# An Airbyte-protocol source with two streams, "orders" and "tickets", two records each. With
# {"fail_tickets": true} in its configuration, reading "tickets" fails with an error TRACE (the
# system_error type, so the sync fails at once instead of retrying).
config=""
catalog=""
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config="$(cat "$2")"; shift 2 ;;
    --catalog) catalog="$(cat "$2")"; shift 2 ;;
    --state) shift 2 ;;
    *) verb="${verb:-$1}"; shift ;;
  esac
done
stream='{"type":"object","properties":{"id":{"type":"integer"}}}'
case "$verb" in
  spec) echo '{"type":"SPEC","spec":{"connectionSpecification":{"type":"object","properties":{"fail_tickets":{"type":"boolean"}}}}}' ;;
  check) echo '{"type":"CONNECTION_STATUS","connectionStatus":{"status":"SUCCEEDED"}}' ;;
  discover) echo '{"type":"CATALOG","catalog":{"streams":[{"name":"orders","json_schema":'"$stream"',"supported_sync_modes":["full_refresh"]},{"name":"tickets","json_schema":'"$stream"',"supported_sync_modes":["full_refresh"]}]}}' ;;
  read)
    # each stream is read by its own process, with a catalog of that stream alone
    name=orders
    if printf '%s' "$catalog" | grep -q '"tickets"'; then name=tickets; fi
    if [ "$name" = tickets ] && printf '%s' "$config" | grep -Eq '"fail_tickets" *: *true'; then
      echo '{"type":"TRACE","trace":{"type":"ERROR","emitted_at":0,"error":{"message":"The tickets endpoint answered 500 Internal Server Error","failure_type":"system_error"}}}'
      exit 1
    fi
    echo '{"type":"RECORD","record":{"stream":"'"$name"'","data":{"id":1},"emitted_at":0}}'
    echo '{"type":"RECORD","record":{"stream":"'"$name"'","data":{"id":2},"emitted_at":0}}' ;;
  *) exit 2 ;;
esac
