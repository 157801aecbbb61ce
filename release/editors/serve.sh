#!/bin/sh
# Preview the site in this folder: http://127.0.0.1:1313/
cd "$(dirname "$0")" && exec ./dangwu serve "$@"
