package collector

import (
	"context"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"hash"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dangwu-org/dangwu/generator/site"
)

// SecretIterations is the PBKDF2-SHA256 cost of access codes and passwords
// (OWASP's 2023 figure): about a fifth of a second on one core here.
const SecretIterations = 600_000

// HashSecret returns a salted slow hash of a code or password, in the form
// pbkdf2-sha256$iterations$salt$key. iterations 0 means SecretIterations.
func HashSecret(secret string, iterations int) (string, error) {
	if iterations <= 0 {
		iterations = SecretIterations
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := pbkdf2.Key(sha256.New, secret, salt, iterations, 32)
	if err != nil {
		return "", err
	}
	enc := base64.RawStdEncoding
	return "pbkdf2-sha256$" + strconv.Itoa(iterations) + "$" + enc.EncodeToString(salt) + "$" + enc.EncodeToString(key), nil
}

// CheckSecret reports whether secret matches a HashSecret result, in
// constant time for a given hash.
func CheckSecret(stored, secret string) bool {
	parts := strings.Split(stored, "$")
	if len(parts) != 4 || parts[0] != "pbkdf2-sha256" {
		return false
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < 1 || iter > 10_000_000 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[2])
	want, err2 := enc.DecodeString(parts[3])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got, err := pbkdf2.Key(sha256.New, secret, salt, iter, len(want))
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}

// codeAlphabet leaves out 0/O, 1/l/I so a code read aloud or copied by hand survives.
const codeAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// NewCode returns a fresh branch access code such as k7pq-3mz9-x2c4 (about 59 bits).
func NewCode() string {
	b := make([]byte, 12)
	rand.Read(b)
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return sb.String()
}

// NormalizeCode forgives how people type codes: case, full-width
// characters, and how the three groups are parted — a dash of any width,
// an underscore, spaces, or nothing (k7pq 3mz9 x2c4, K7PQ3MZ9X2C4 and
// k7pq－3mz9－x2c4 are all k7pq-3mz9-x2c4). A code as shown is returned as
// it is, without allocating: every post runs this (issue 11). A code in
// another shape (tests') keeps its letters and its plain dashes.
func NormalizeCode(code string) string {
	code = strings.ToLower(strings.TrimSpace(site.HalfWidth(code)))
	if len(code) == 14 && code[4] == '-' && code[9] == '-' {
		return code
	}
	bare := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '-', '_', '—', '–', '－', '‐':
			return -1
		}
		return r
	}, code)
	if len(bare) == 12 {
		return bare[:4] + "-" + bare[4:8] + "-" + bare[8:]
	}
	// Not in NewCode's shape: spaces dropped, dashes made plain.
	return codeReplacer.Replace(code)
}

// codeReplacer is read-only after it is made; making it on every post was
// visible in the profile under load.
var codeReplacer = strings.NewReplacer(" ", "", "\t", "", "－", "-", "—", "-", "–", "-", "‐", "-", "_", "-")

// CodeStore looks up a branch's stored code hash; ErrNotFound when none.
type CodeStore interface {
	BranchCodeHash(ctx context.Context, branch string) (string, error)
}

// Auth checks branch access codes. A slow hash on every post would cap the
// collector at a few dozen submissions a second on two cores, so a code that
// verified once is remembered for a while as an HMAC under a key that lives
// only in this process. The cached entry is tied to the stored hash it was
// checked against: rotating a code (a new stored hash) invalidates it at once,
// even when the rotation happened in another process.
type Auth struct {
	store CodeStore
	now   func() time.Time
	ttl   time.Duration
	key   []byte
	// macs holds HMACs keyed with key, for reuse: making one a post (the
	// key's two blocks hashed again) and formatting its input with fmt
	// were a microsecond of every post under wrk (issue 11).
	macs sync.Pool

	mu    sync.Mutex
	cache map[string]authEntry
	// flight holds the slow checks in progress, so many posts with the same
	// code wait for one check instead of each running their own.
	flight map[string]*flightCall
	// slow counts the slow hashes run.
	slow atomic.Int64
}

// SlowChecks is the number of slow hashes Auth has run.
func (a *Auth) SlowChecks() int64 { return a.slow.Load() }

type flightCall struct {
	done chan struct{}
	ok   bool
}

type authEntry struct {
	stored string
	mac    []byte
	until  time.Time
}

// NewAuth returns an Auth remembering verified codes for ttl.
func NewAuth(store CodeStore, now func() time.Time, ttl time.Duration) *Auth {
	key := make([]byte, 32)
	rand.Read(key)
	if now == nil {
		now = time.Now
	}
	a := &Auth{store: store, now: now, ttl: ttl, key: key, cache: map[string]authEntry{}, flight: map[string]*flightCall{}}
	a.macs.New = func() any { return hmac.New(sha256.New, key) }
	return a
}

// mac is the HMAC of a branch's code under the process's key: of
// len(branch) ":" branch ":" code, so that no two pairs share an input.
func (a *Auth) mac(branch, code string) []byte {
	m := a.macs.Get().(hash.Hash)
	defer a.macs.Put(m)
	m.Reset()
	var buf [128]byte
	b := strconv.AppendInt(buf[:0], int64(len(branch)), 10)
	b = append(b, ':')
	b = append(b, branch...)
	b = append(b, ':')
	b = append(b, code...)
	m.Write(b)
	return m.Sum(nil)
}

// ErrBadCode is the EUNAUTHORIZED answer for an unknown branch or wrong code.
var ErrBadCode = &Error{Code: EUNAUTHORIZED, Message: "支部或提交码不正确。", Fields: map[string]string{"code": "支部或提交码不正确，请核对后重新输入。"}}

// Check returns nil when code is the branch's current code, ErrBadCode when
// not, or the store's error.
func (a *Auth) Check(ctx context.Context, branch, code string) error {
	return a.CheckGated(ctx, branch, code, nil)
}

// CheckGated is Check that asks gate, when not nil, before it runs the slow
// hash (a code verified recently is checked without it). An error from gate
// is returned as it is and no slow check runs; otherwise release is called
// with the check's outcome as soon as it is known, before any other caller
// waiting at the gate goes on, so that the gate can count a failure first.
// The collector's gate is its rate limiter.
func (a *Auth) CheckGated(ctx context.Context, branch, code string, gate func() (release func(ok bool), err error)) error {
	_, err := a.check(ctx, branch, code, gate, false)
	return err
}

// CheckRemembered is CheckGated for a caller that has the store confirm
// the hash at commit (Submission.CodeHash): a code verified less than the
// TTL ago is checked against the hash remembered with it, without reading
// the store (a read on every post was 17 µs of 300 under wrk, issue 11).
// It returns the hash the code was checked against. After the store
// refused a commit with ErrCodeChanged, Forget the branch and check again.
func (a *Auth) CheckRemembered(ctx context.Context, branch, code string, gate func() (release func(ok bool), err error)) (stored string, err error) {
	return a.check(ctx, branch, code, gate, true)
}

// Forget drops what is remembered of the branch's code.
func (a *Auth) Forget(branch string) {
	a.mu.Lock()
	delete(a.cache, branch)
	a.mu.Unlock()
}

func (a *Auth) check(ctx context.Context, branch, code string, gate func() (release func(ok bool), err error), remembered bool) (string, error) {
	code = NormalizeCode(code)
	mac := a.mac(branch, code)
	now := a.now()
	if remembered {
		a.mu.Lock()
		e, ok := a.cache[branch]
		a.mu.Unlock()
		if ok && now.Before(e.until) && hmac.Equal(e.mac, mac) {
			return e.stored, nil
		}
	}
	stored, err := a.store.BranchCodeHash(ctx, branch)
	if errors.Is(err, ErrNotFound) {
		return "", ErrBadCode
	}
	if err != nil {
		return "", err
	}
	if a.cached(branch, stored, mac, now) {
		return stored, nil
	}
	release := func(bool) {}
	if gate != nil {
		if release, err = gate(); err != nil {
			return "", err
		}
		// The check this caller waited behind at the gate may have been
		// this very code: under load dozens of posts of one branch queue
		// there, and each running its own slow hash in turn was most of
		// the collector's CPU at start-up (and its 429s).
		if a.cached(branch, stored, mac, now) {
			release(true)
			return stored, nil
		}
	}
	ok := a.slowCheck(stored, code, string(mac))
	if ok {
		// Remembered before the gate opens, for the caller waiting next.
		a.mu.Lock()
		a.cache[branch] = authEntry{stored: stored, mac: mac, until: now.Add(a.ttl)}
		a.mu.Unlock()
	}
	release(ok)
	if !ok {
		return "", ErrBadCode
	}
	return stored, nil
}

// cached reports whether the branch's code with this mac verified against
// stored less than the TTL ago.
func (a *Auth) cached(branch, stored string, mac []byte, now time.Time) bool {
	a.mu.Lock()
	e, ok := a.cache[branch]
	a.mu.Unlock()
	return ok && e.stored == stored && now.Before(e.until) && hmac.Equal(e.mac, mac)
}

// slowCheck runs CheckSecret once for concurrent callers with the same
// stored hash and code.
func (a *Auth) slowCheck(stored, code, mac string) bool {
	key := stored + "\x00" + mac
	a.mu.Lock()
	if c, ok := a.flight[key]; ok {
		a.mu.Unlock()
		<-c.done
		return c.ok
	}
	c := &flightCall{done: make(chan struct{})}
	a.flight[key] = c
	a.mu.Unlock()
	a.slow.Add(1)
	c.ok = CheckSecret(stored, code)
	a.mu.Lock()
	delete(a.flight, key)
	a.mu.Unlock()
	close(c.done)
	return c.ok
}
