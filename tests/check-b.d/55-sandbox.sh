#!/bin/sh
# section: hardened and sandboxed executables (ELF flags, --static, seccomp)
#
# A default build is a PIE with full RELRO (BIND_NOW, GNU_RELRO), a stack
# protector and _FORTIFY_SOURCE (readelf, nm); `--static` gives a file
# with no interpreter that runs with an empty environment.  The sandbox:
# tests/sandbox/escape.c tries open, socket and execve from a user
# operation; each such context gets an error line and the others are
# answered (one starts and joins a thread, which the filter allows); --sandbox=off and --sandbox=LIST let them through; strace
# shows that after the filter is installed a flow makes only the calls of
# the allowlist below (flowc(1), SANDBOX).  Sanitizer builds install no
# filter and cannot link statically: those checks are skipped there.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
EX=examples/wordcount
ESC=tests/sandbox/escape

# The stream loop's calls (runtime/sandbox.c, base[]).
ALLOW="read readv write writev close lseek fstat newfstatat brk mmap munmap mremap
madvise mprotect futex set_robust_list rseq sched_yield sched_getaffinity exit
exit_group rt_sigreturn rt_sigprocmask rt_sigaction sigaltstack restart_syscall
getpid gettid getrandom clock_gettime clock_getres gettimeofday nanosleep
clock_nanosleep ioctl clone tgkill"

build/flowc build "$EX/flow.yaml" -o "$TMP/wc" 2>"$TMP/err" || fail "build" "$(cat "$TMP/err")"
sanitized=0
nm "$TMP/wc" 2>/dev/null | grep -q __asan_init && sanitized=1

# ---- hardening (readelf) ----
hdr=$(readelf -h "$TMP/wc") dyn=$(readelf -d "$TMP/wc") seg=$(readelf -lW "$TMP/wc")
case $hdr in *"Type:"*DYN*) pass "ELF: position-independent (DYN)" ;;
	*) fail "ELF: position-independent" "$(echo "$hdr" | grep Type)" ;; esac
if echo "$dyn" | grep -q BIND_NOW && echo "$seg" | grep -q GNU_RELRO; then
	pass "ELF: full RELRO (BIND_NOW, GNU_RELRO)"
else
	fail "ELF: full RELRO" "$(echo "$dyn" | grep FLAGS; echo "$seg" | grep RELRO)"
fi
syms=$(nm -D "$TMP/wc")
if echo "$syms" | grep -q __stack_chk_fail; then pass "ELF: stack protector"; else fail "ELF: stack protector"; fi
if [ $sanitized = 1 ]; then
	pass "ELF: fortify (skipped: sanitizer build)"
elif echo "$syms" | grep -Eq '__[a-z]*printf_chk'; then
	pass "ELF: _FORTIFY_SOURCE (__*_chk)"
else
	fail "ELF: _FORTIFY_SOURCE" "no __*_chk symbol"
fi
# The flags come before --cflags, which can override them.
build/flowc build "$EX/flow.yaml" --cflags "${FLOWC_CFLAGS:--O2} -no-pie -fno-PIE" -o "$TMP/nopie" 2>"$TMP/err"
case $(readelf -h "$TMP/nopie" 2>&1) in *"Type:"*EXEC*) pass "--cflags -no-pie overrides" ;;
	*) fail "--cflags -no-pie overrides" "$(cat "$TMP/err")" ;; esac

# ---- --static ----
if [ $sanitized = 1 ]; then
	pass "--static (skipped: sanitizer build)"
elif ! build/flowc build --static "$EX/flow.yaml" -o "$TMP/wc-static" 2>"$TMP/err"; then
	fail "--static: build" "$(cat "$TMP/err")"
else
	if readelf -lW "$TMP/wc-static" | grep -q INTERP || [ -n "$(readelf -d "$TMP/wc-static" | grep NEEDED)" ]; then
		fail "--static: no interpreter, no libraries" "$(readelf -d "$TMP/wc-static" | grep NEEDED)"
	else
		pass "--static: no interpreter, no libraries"
	fi
	if env -i "$TMP/wc-static" -i "$EX/inputs.jsonl" >"$TMP/out" 2>"$TMP/err" &&
	    cmp -s "$TMP/out" "$EX/expected.jsonl"; then
		pass "--static: runs with an empty environment"
	else
		fail "--static: runs with an empty environment" "$(cat "$TMP/err"; diff "$EX/expected.jsonl" "$TMP/out" | head -4)"
	fi
fi

# ---- the sandbox ----
if [ $sanitized = 1 ]; then
	pass "sandbox (skipped: sanitizer build)"
	done_counting
	exit
fi
for O in 0 2; do
	build/flowc build -O$O "$ESC.yaml" --ops "$ESC.c" -o "$TMP/esc" 2>"$TMP/err" ||
		fail "escape -O$O: build" "$(cat "$TMP/err")"
	"$TMP/esc" -i "$ESC.jsonl" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc = 1 ] && cmp -s "$TMP/out" "$ESC.expected"; then
		pass "escape -O$O: open, socket, execve fail with EPERM, a thread runs, other contexts answered"
	else
		fail "escape -O$O" "exit $rc; $(cat "$TMP/err"; diff "$ESC.expected" "$TMP/out" | head -8)"
	fi
done
# off: everything allowed (the execve context replaces the process).
build/flowc build "$ESC.yaml" --ops "$ESC.c" --sandbox=off -o "$TMP/esc-off" &&
    head -n 4 "$ESC.jsonl" | "$TMP/esc-off" >"$TMP/out" 2>"$TMP/err"
if [ "$(grep -c '"ok"' "$TMP/out")" = 4 ]; then pass "--sandbox=off"; else fail "--sandbox=off" "$(cat "$TMP/out" "$TMP/err")"; fi
if build/flowc build -S "$ESC.yaml" --ops "$ESC.c" --sandbox=off -o - | grep -q flow_sandbox; then
	fail "--sandbox=off: no sandbox in the C"
else
	pass "--sandbox=off: no sandbox in the C"
fi
# files: open allowed, socket and execve not.
build/flowc build "$ESC.yaml" --ops "$ESC.c" --sandbox=files -o "$TMP/esc-files" &&
    "$TMP/esc-files" -i "$ESC.jsonl" >"$TMP/out" 2>"$TMP/err"
if grep -q '"open", "results"' "$TMP/out" && grep -q '"socket", "error"' "$TMP/out" &&
    grep -q '"execve", "error"' "$TMP/out"; then
	pass "--sandbox=files"
else
	fail "--sandbox=files" "$(cat "$TMP/out" "$TMP/err")"
fi
if build/flowc build "$ESC.yaml" --sandbox=sockets -o "$TMP/x" 2>"$TMP/err"; then
	fail "--sandbox=sockets is refused"
else
	pass "--sandbox=sockets is refused"
fi

# flowc bench builds without the filter, so its callgrind runs work.
if command -v valgrind >/dev/null; then
	if build/flowc bench "$EX/flow.yaml" -i "$EX/inputs.jsonl" --runs 1 --callgrind >"$TMP/out" 2>&1 &&
	    grep -q '^instructions:' "$TMP/out"; then
		pass "flowc bench --callgrind (programs built --sandbox=off)"
	else
		fail "flowc bench --callgrind" "$(tail -5 "$TMP/out")"
	fi
fi

# strace: after the filter, only allowed calls (and the refused ones).
# after_filter LOG: "name result" for each call after the filter is on.
after_filter() {
	awk '/seccomp\(SECCOMP_SET_MODE_FILTER.*= 0$/ { on = 1; next }
	    on && /^[0-9]+ +[a-z_0-9]+\(/ { sub(/^[0-9]+ +/, ""); n = $0; sub(/\(.*/, "", n);
	        print n, (/= -1 EPERM/ ? "EPERM" : "ok") }' "$1"
}
if ! command -v strace >/dev/null; then
	fail "strace" "strace is not installed (make deps installs it)"
	done_counting
	exit
fi
for O in 0 2; do
	build/flowc build -O$O "$EX/flow.yaml" -o "$TMP/wc$O" &&
	    strace -f -o "$TMP/strace" "$TMP/wc$O" -i "$EX/inputs.jsonl" >/dev/null 2>&1
	after_filter "$TMP/strace" >"$TMP/calls"
	bad=$(awk '{print $1}' "$TMP/calls" | sort -u | while read -r c; do
		case " $(echo $ALLOW) " in *" $c "*) ;; *) echo "$c" ;; esac; done)
	if [ ! -s "$TMP/calls" ]; then
		fail "strace -O$O: filter installed" "$(grep seccomp "$TMP/strace" | tail -3)"
	elif [ -n "$bad" ] || grep -q EPERM "$TMP/calls"; then
		fail "strace -O$O: only allowed calls after start-up" "$bad $(grep EPERM "$TMP/calls")"
	else
		pass "strace -O$O: only allowed calls after start-up ($(awk '{print $1}' "$TMP/calls" | sort -u | tr '\n' ' '))"
	fi
done
build/flowc build "$ESC.yaml" --ops "$ESC.c" -o "$TMP/esc" &&
    strace -f -o "$TMP/strace" "$TMP/esc" -i "$ESC.jsonl" >/dev/null 2>&1
refused=$(after_filter "$TMP/strace" | awk '$2 == "EPERM" {print $1}' | sort -u | tr '\n' ' ')
if [ "$refused" = "execve openat socket " ]; then
	pass "strace: the user op's open, socket and execve refused, nothing else"
else
	fail "strace: refused calls" "$refused"
fi
done_counting
