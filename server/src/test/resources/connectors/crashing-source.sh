#!/usr/bin/env bash
# An Airbyte-protocol source that dies mid-read the way a Python connector does: a traceback on stderr
# naming its API token, and no TRACE message.
config=""
while [ $# -gt 0 ]; do
  case "$1" in --config) config="$(cat "$2")"; shift 2 ;; *) verb="${verb:-$1}"; shift ;; esac
done
token="$(printf '%s' "$config" | sed -E 's/.*"token" *: *"([^"]*)".*/\1/')"
case "$verb" in
  spec) echo '{"type":"SPEC","spec":{"connectionSpecification":{"type":"object","properties":{"token":{"type":"string","airbyte_secret":true}}}}}' ;;
  check) echo '{"type":"CONNECTION_STATUS","connectionStatus":{"status":"SUCCEEDED"}}' ;;
  discover) echo '{"type":"CATALOG","catalog":{"streams":[{"name":"tickets","json_schema":{"type":"object","properties":{"id":{"type":"integer"}}},"supported_sync_modes":["full_refresh"]}]}}' ;;
  read)
    echo '{"type":"RECORD","record":{"stream":"tickets","data":{"id":1},"emitted_at":0}}'
    echo 'Traceback (most recent call last):' >&2
    echo "  File \"source.py\", line 88, in read_records: headers={'Authorization': 'Bearer $token'}" >&2
    echo 'requests.exceptions.HTTPError: 429 Client Error: Too Many Requests for url: https://api.example.com/tickets' >&2
    exit 1 ;;
  *) exit 2 ;;
esac
