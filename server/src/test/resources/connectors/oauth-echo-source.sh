#!/usr/bin/env bash
# echo-source with a declarative OAuth flow in its spec (advanced_auth), for the authorization matrix.
case "$1" in
  spec) echo '{"type":"SPEC","spec":{"connectionSpecification":{"type":"object","required":["credentials"],"properties":{"credentials":{"type":"object","properties":{"auth_type":{"type":"string","const":"oauth2.0"},"client_id":{"type":"string","airbyte_secret":true},"client_secret":{"type":"string","airbyte_secret":true},"refresh_token":{"type":"string","airbyte_secret":true}}}}},"advanced_auth":{"auth_flow_type":"oauth2.0","predicate_key":["credentials","auth_type"],"predicate_value":"oauth2.0","oauth_config_specification":{"oauth_connector_input_specification":{"consent_url":"https://provider.example/authorize?{{client_id_param}}&{{redirect_uri_param}}&{{state_param}}&response_type=code","access_token_url":"https://provider.example/token","extract_output":["refresh_token"]},"complete_oauth_output_specification":{"type":"object","properties":{"refresh_token":{"type":"string","path_in_connector_config":["credentials","refresh_token"]}}},"complete_oauth_server_input_specification":{"type":"object","properties":{"client_id":{"type":"string"},"client_secret":{"type":"string"}}},"complete_oauth_server_output_specification":{"type":"object","properties":{"client_id":{"type":"string","path_in_connector_config":["credentials","client_id"]},"client_secret":{"type":"string","path_in_connector_config":["credentials","client_secret"]}}}}}}}' ;;
  check) echo '{"type":"CONNECTION_STATUS","connectionStatus":{"status":"SUCCEEDED"}}' ;;
  discover) echo '{"type":"CATALOG","catalog":{"streams":[{"name":"greetings","json_schema":{"type":"object","properties":{"id":{"type":"integer"},"text":{"type":"string"}}},"supported_sync_modes":["full_refresh"]}]}}' ;;
  read)
    echo '{"type":"RECORD","record":{"stream":"greetings","data":{"id":1,"text":"hello"},"emitted_at":0}}' ;;
  *) exit 2 ;;
esac
