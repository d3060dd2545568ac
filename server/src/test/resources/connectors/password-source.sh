#!/usr/bin/env bash
# An Airbyte-protocol source whose check passes only with the token "open sesame": tests of what a
# check is given (a masked secret must never reach it).
verb="$1"; shift
config=""
while [ $# -gt 0 ]; do
  if [ "$1" = "--config" ]; then config="$2"; fi
  shift
done
case "$verb" in
  spec) echo '{"type":"SPEC","spec":{"connectionSpecification":{"type":"object","required":["greeting","token"],"properties":{"greeting":{"type":"string","order":0},"token":{"type":"string","airbyte_secret":true,"order":1}}}}}' ;;
  check)
    if grep -q '"token" *: *"open sesame"' "$config"; then
      echo '{"type":"CONNECTION_STATUS","connectionStatus":{"status":"SUCCEEDED"}}'
    else
      echo '{"type":"CONNECTION_STATUS","connectionStatus":{"status":"FAILED","message":"wrong token"}}'
    fi ;;
  discover) echo '{"type":"CATALOG","catalog":{"streams":[{"name":"greetings","json_schema":{"type":"object","properties":{"id":{"type":"integer"}}},"supported_sync_modes":["full_refresh"]}]}}' ;;
  *) exit 2 ;;
esac
