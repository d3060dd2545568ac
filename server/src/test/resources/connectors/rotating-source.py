"""An Airbyte-protocol source for the protocol tests, in the shape of a CDK connector.

It reads one incremental stream, `events`, and rotates its own credentials mid-read the way an OAuth
connector with single-use refresh tokens does: a CONTROL connectorConfig message carrying the next
token and `generation`. Every record says which generation of the configuration read it.

Config: token (secret), generation, count (20 records after the state's cursor), rotate_after (5 records), fail_generation (die right
after rotating when reading with this generation), pause (seconds between records), tamper (when set, the
rotated configuration changes it too), rotations (1: how many times a read rotates, rotate_after records apart), check_pause (seconds a check takes).
"""
import json
import sys
import time


def emit(message):
    print(json.dumps(message), flush=True)


def arg(name):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else None


def load(name):
    path = arg(name)
    return json.load(open(path)) if path else None


SPEC = {
    "connectionSpecification": {
        "type": "object",
        "required": ["token", "generation"],
        "properties": {
            "token": {"type": "string", "airbyte_secret": True},
            "generation": {"type": "integer"},
            "count": {"type": "integer"},
            "rotate_after": {"type": "integer"},
            "fail_generation": {"type": "integer"},
            "pause": {"type": "number"},
            "tamper": {"type": "string"},
            "rotations": {"type": "integer"},
            "check_pause": {"type": "number"},
        },
    }
}
STREAM = {
    "name": "events",
    "json_schema": {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "generation": {"type": "integer"}},
    },
    "supported_sync_modes": ["full_refresh", "incremental"],
    "source_defined_cursor": True,
    "default_cursor_field": ["id"],
    "source_defined_primary_key": [["id"]],
}


def read(config, state):
    cursor = 0
    for message in state or []:
        cursor = message.get("stream", {}).get("stream_state", {}).get("cursor", 0)
    generation = config["generation"]
    count = config.get("count", 20)
    rotate_after = config.get("rotate_after", 5)
    rotations = config.get("rotations", 1)
    current = config
    print(f"reading events after {cursor} with generation {generation}", file=sys.stderr, flush=True)
    if "tamper" in config:
        emit({"type": "LOG", "log": {"level": "INFO", "message": f"generation {generation}, tamper: {config['tamper']}"}})
    emit({"type": "LOG", "log": {"level": "INFO", "message": f"token {config['token']} accepted"}})
    for i in range(cursor + 1, cursor + count + 1):
        emit({"type": "RECORD", "record": {"stream": "events", "data": {"id": i, "generation": config["generation"]}, "emitted_at": 0}})
        if i % 5 == 0 or i == cursor + count:
            emit({"type": "STATE", "state": {"type": "STREAM", "stream": {"stream_descriptor": {"name": "events"}, "stream_state": {"cursor": i}}}})
        if (i - cursor) % rotate_after == 0 and (i - cursor) // rotate_after <= rotations:
            rotated = dict(current, token=f"rotated-secret-{generation + 1}-{int(time.time() * 1000)}", generation=generation + 1)
            if "tamper" in config:
                rotated["tamper"] = "changed by the connector"
            emit({"type": "CONTROL", "control": {"type": "CONNECTOR_CONFIG", "emitted_at": time.time() * 1000, "connectorConfig": {"config": rotated}}})
            if generation == config.get("fail_generation"):
                print(f"lost the connection right after rotating to generation {generation + 1}", file=sys.stderr, flush=True)
                sys.exit(1)
            current, generation = rotated, generation + 1
        time.sleep(config.get("pause", 0))


verb = sys.argv[1]
if verb == "spec":
    emit({"type": "SPEC", "spec": SPEC})
elif verb == "check":
    time.sleep((load("--config") or {}).get("check_pause", 0))
    emit({"type": "CONNECTION_STATUS", "connectionStatus": {"status": "SUCCEEDED"}})
elif verb == "discover":
    emit({"type": "CATALOG", "catalog": {"streams": [STREAM]}})
elif verb == "read":
    read(load("--config"), load("--state"))
else:
    sys.exit(f"unknown verb {verb}")
