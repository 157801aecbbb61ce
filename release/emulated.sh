#!/usr/bin/env bash
# Runs the release binaries on the example site as an editor's machine
# would: linux/amd64 natively, windows/amd64 under Wine, linux/arm64 under
# qemu-user. For each: build (the output must equal the linux/amd64 build
# byte for byte), serve (answers, and picks up an edited file), collect
# (accepts a submission and re-renders the task page) and verify.
#
#   go run ./release -o dist && release/emulated.sh dist
#
# Needs wine64 (or wine), qemu-user (qemu-aarch64), curl, iconv, git and a
# MinGW gcc (x86_64-w64-mingw32-gcc) for the Wine shim below. Exits non-zero
# on the first check that fails. Ports 18231-18236 on 127.0.0.1.
set -euo pipefail

dist=$(cd "${1:?usage: release/emulated.sh DIST}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/dangwu-emulated.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "${WINESERVER:-}" ]; then "$WINESERVER" -k 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
# since START_MS: seconds elapsed, with one decimal.
since() { local d=$(($(now_ms) - $1)); printf '%d.%d' $((d / 1000)) $((d % 1000 / 100)); }

wine=$(command -v wine64 || true)
[ -n "$wine" ] || { [ -x /usr/lib/wine/wine64 ] && wine=/usr/lib/wine/wine64; } || true
[ -n "$wine" ] || wine=$(command -v wine || true)
[ -n "$wine" ] || fail "wine64 is missing (apt-get install wine64)"
qemu=$(command -v qemu-aarch64 || command -v qemu-aarch64-static || true)
[ -n "$qemu" ] || fail "qemu-aarch64 is missing (apt-get install qemu-user)"

# Wine gets a prefix of its own. Go (since 1.22) loads ProcessPrng from
# bcryptprimitives.dll at start-up, which every Windows 10 has but Debian 12's
# Wine 8.0 lacks; the prefix gets a stand-in built here with MinGW that asks
# RtlGenRandom instead. This shims the emulator, not dangwu: the binary tested
# is the released one, unchanged.
export WINEPREFIX="$work/wineprefix" WINEDEBUG=-all
WINESERVER=$(command -v wineserver || true)
[ -n "$WINESERVER" ] || { [ -x /usr/lib/wine/wineserver64 ] && WINESERVER=/usr/lib/wine/wineserver64; } || true
"$wine" wineboot --init >/dev/null 2>&1 || true
sys32="$WINEPREFIX/drive_c/windows/system32"
if [ ! -e "$sys32/bcryptprimitives.dll" ] && ! ls /usr/lib/*/wine/x86_64-windows/bcryptprimitives.dll >/dev/null 2>&1; then
  cat >"$work/bcryptprimitives.c" <<'EOF'
#include <windows.h>
#include <ntsecapi.h>
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
    if (!RtlGenRandom(data, n)) return FALSE;
    data += n; len -= n;
  }
  return TRUE;
}
EOF
  x86_64-w64-mingw32-gcc -O2 -shared -o "$sys32/bcryptprimitives.dll" "$work/bcryptprimitives.c" -ladvapi32 \
    || fail "could not build the bcryptprimitives.dll stand-in for Wine"
  echo "Wine: $("$wine" --version 2>/dev/null || echo '?'), with a ProcessPrng stand-in (Wine 8 has no bcryptprimitives.dll)"
fi

# runner PLATFORM: the command that runs that platform's binary here.
runner() {
  case $1 in
    linux-amd64) echo "$dist/linux-amd64/dangwu" ;;
    windows-amd64) echo "$wine $dist/windows-amd64/dangwu.exe" ;;
    linux-arm64) echo "$qemu $dist/linux-arm64/dangwu" ;;
  esac
}

# wait_for URL SECONDS [TEXT]: until URL answers 200 (and contains TEXT).
wait_for() {
  local url=$1 secs=$2 text=${3:-} i
  for ((i = 0; i < secs * 5; i++)); do
    if body=$(curl -fsS --max-time 2 "$url" 2>/dev/null); then
      if [ -z "$text" ] || grep -qF -- "$text" <<<"$body"; then return 0; fi
    fi
    sleep 0.2
  done
  return 1
}

gbk_page='content/news/关于党费的通知 2026.md'
gbk_url='news/关于党费的通知-2026/'
edit_page=content/news/2026-dangjian-gongzuo-huiyi.md
edit_url=news/2026-dangjian-gongzuo-huiyi/
task=2026-zhibu-zongjie

port=18231
for p in linux-amd64 windows-amd64 linux-arm64; do
  echo "== $p"
  read -r -a run <<<"$(runner "$p")"
  dir="$work/$p"
  mkdir -p "$dir/site"
  (cd "$root" && git ls-files -z -- site.yaml content themes | xargs -0 cp --parents -t "$dir/site")
  # A page as Notepad saves it on a Chinese Windows: GBK, a space in the name.
  printf '# 关于党费的通知\n\n请各支部按月交纳党费。\n' | iconv -f UTF-8 -t GB18030 >"$dir/site/$gbk_page"
  cd "$dir/site"

  "${run[@]}" version
  start=$(now_ms)
  "${run[@]}" build -d ../public >../build.out 2>../build.err || { cat ../build.out ../build.err; fail "$p: build"; }
  echo "$(head -1 ../build.out)（命令共 $(since "$start") s）"
  grep -qF "$gbk_page: 警告：文件的编码是 GB18030" ../build.err || { cat ../build.err; fail "$p: no GB18030 warning for $gbk_page"; }
  grep -qF '<title>关于党费的通知 - ' "../public/$gbk_url/index.html" || fail "$p: $gbk_url has not the GBK page's title"
  if [ "$p" = linux-amd64 ]; then
    cp -r ../public "$work/reference" # serve and collect change public/ below
  else
    # The build's own time is the one difference allowed: calendar.ics's
    # DTSTAMP (RFC 5545) and the 统计时间/生成时间 of status pages.
    if diff -r -I '^DTSTAMP:[0-9]*T[0-9]*Z.\?$' -I '\(统计时间\|生成时间\)：' "$work/reference" ../public >../diff.txt; then
      stamps=$(diff -r "$work/reference" ../public | grep -c '^> DTSTAMP:' || true)
      echo "build: 与 linux/amd64 的输出逐字节相同（$(find ../public -type f | wc -l) 个文件），只有生成时刻不同（calendar.ics 的 $stamps 行 DTSTAMP 与状态页的统计时间）"
    else
      cut -c1-300 ../diff.txt | head -40; fail "$p: build output differs from linux/amd64"
    fi
  fi

  # serve: answers, and an edited file shows up without a restart.
  "${run[@]}" serve --addr "127.0.0.1:$port" >../serve.log 2>&1 &
  pids+=($!)
  start=$(now_ms)
  wait_for "http://127.0.0.1:$port/" 60 || { cat ../serve.log; fail "$p: serve did not answer"; }
  echo "serve: http://127.0.0.1:$port/ 在 $(since "$start") s 后应答"
  marker="模拟环境修改-$p-$RANDOM"
  sleep 1 # let the watcher settle on its folders
  printf '\n%s\n' "$marker" >>"$edit_page"
  start=$(now_ms)
  if wait_for "http://127.0.0.1:$port/$edit_url" 30 "$marker"; then
    echo "serve: 修改 $edit_page 后 $(since "$start") s 页面更新"
  else
    cat ../serve.log; fail "$p: serve did not pick up the edit of $edit_page within 30 s"
  fi
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
  port=$((port + 1))

  # collect: a branch's submission is stored, acknowledged and shown.
  code=$("${run[@]}" branch code yunshu | sed -n 3p | tr -d ' \r')
  [ -n "$code" ] || fail "$p: branch code printed no code"
  # Into a new folder: replacing an existing public/ removes the old one
  # through os.Root, which Wine 8 does not implement for deletion
  # (FileDispositionInformationEx: "Invalid function"); Windows 10 does.
  "${run[@]}" collect -d ../collected --addr "127.0.0.1:$port" >../collect.log 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$port/healthz" 60 || { cat ../collect.log; fail "$p: collect did not answer /healthz"; }
  status=$(curl -sS -o ../receipt.json -w '%{http_code}' -H 'Accept: application/json' \
    -F branch=yunshu -F "code=$code" -F "summary=模拟环境（$p）中提交的年度工作总结。" -F contact=张三 \
    -F meetings=12 -F rating=好 "http://127.0.0.1:$port/api/tasks/$task/submissions")
  [ "$status" = 201 ] || { cat ../receipt.json ../collect.log; fail "$p: submission answered $status, want 201"; }
  echo "collect: 提交得到 201，回执 $(grep -o '"id": *"[^"]*"' ../receipt.json | head -1)"
  for ((i = 0; i < 50; i++)); do grep -q '已提交' "../collected/tasks/$task/index.html" && break; sleep 0.2; done
  grep -q '已提交' "../collected/tasks/$task/index.html" || fail "$p: tasks/$task/ does not show 已提交"
  echo "collect: tasks/$task/ 重新生成，显示“已提交”"
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
  port=$((port + 1))

  "${run[@]}" verify || fail "$p: verify"
  cd "$root"
done
echo "== 三个平台全部通过"
