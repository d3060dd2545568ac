#!/usr/bin/env bash
# A connector that reports what it can see: its environment and working directory (spec), and starts
# a child process of its own before it hangs (read), so a test can check both are confined.
case "$1" in
  spec)
    names=$(env | cut -d= -f1 | sort | paste -sd, -)
    printf '{"type":"SPEC","spec":{"documentationUrl":"env:%s;cwd:%s;home:%s","connectionSpecification":{"type":"object"}}}\n' \
      "$names" "$PWD" "$HOME"
    ;;
  read)
    sleep 300 &
    printf '{"type":"LOG","log":{"level":"INFO","message":"child %s"}}\n' "$!"
    printf '{"type":"RECORD","record":{"stream":"numbers","data":{"id":1},"emitted_at":0}}\n'
    sleep 300
    ;;
esac
