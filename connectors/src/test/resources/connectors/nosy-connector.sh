#!/usr/bin/env bash
# A connector that reports what it can see: its environment and working directory (spec), and starts
# a child process of its own before it hangs (read), so a test can check both are confined.
case "$1" in
  spec)
    names=$(env | cut -d= -f1 | sort | paste -sd, -)
    # what a connector could take from the server: a file it reads, its environment, its processes
    secret=$( [ -n "${NOSY_SECRET_FILE:-}" ] && cat "$NOSY_SECRET_FILE" 2>/dev/null || echo none)
    server=$( [ -n "${NOSY_SERVER_PID:-}" ] && tr '\0' ' ' <"/proc/$NOSY_SERVER_PID/environ" 2>/dev/null | cut -c1-20 | tr -cd 'A-Za-z0-9=_ /.-' || echo none)
    [ -n "$server" ] || server=none
    printf '{"type":"SPEC","spec":{"documentationUrl":"env:%s;secret:%s;server:%s;cwd:%s;home:%s","connectionSpecification":{"type":"object"}}}\n' \
      "$names" "$secret" "$server" "$PWD" "$HOME"
    ;;
  read)
    sleep 300 &
    printf '{"type":"LOG","log":{"level":"INFO","message":"child %s"}}\n' "$!"
    printf '{"type":"RECORD","record":{"stream":"numbers","data":{"id":1},"emitted_at":0}}\n'
    sleep 300
    ;;
esac
