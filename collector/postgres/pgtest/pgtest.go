// Package pgtest starts a real PostgreSQL server for tests: initdb and
// pg_ctl from Debian's postgresql package (or $DANGWU_PG_BIN) in a
// temporary folder, on a free port of 127.0.0.1, with its unix socket in
// that folder. Run as root, it runs the server as the user nobody (the
// server refuses root). Each test gets a database of its own.
//
// When the binaries are missing, tests that need the server are skipped
// with a loud message; with DANGWU_PG_REQUIRED=1 (CI) they fail instead.
//
// It imports the standard library and the pgx driver only, and is imported
// by tests only.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Server is a running PostgreSQL server.
type Server struct {
	dir, data string
	bin       string
	port      int
	asUser    string // "" when not root
	n         atomic.Int64
}

// ErrNoBinaries is returned by Start when initdb and pg_ctl are not found.
var ErrNoBinaries = errors.New("PostgreSQL binaries (initdb, pg_ctl) not found")

// binDir finds initdb: $DANGWU_PG_BIN, PATH, then Debian's versioned folders.
func binDir() (string, error) {
	if d := os.Getenv("DANGWU_PG_BIN"); d != "" {
		return d, nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		return "", ErrNoBinaries
	}
	return filepath.Dir(matches[len(matches)-1]), nil
}

// freePort picks a port no one listens on: within $DANGWU_PG_PORTS
// ("18300-18399") when set, else one the kernel chooses.
func freePort() (int, error) {
	lo, hi := 0, 0
	if r := os.Getenv("DANGWU_PG_PORTS"); r != "" {
		a, b, _ := strings.Cut(r, "-")
		lo, _ = strconv.Atoi(a)
		hi, _ = strconv.Atoi(b)
	}
	if lo == 0 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		defer ln.Close()
		return ln.Addr().(*net.TCPAddr).Port, nil
	}
	start := lo + os.Getpid()%(hi-lo+1)
	for i := 0; i <= hi-lo; i++ {
		p := lo + (start-lo+i)%(hi-lo+1)
		ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err == nil {
			ln.Close()
			return p, nil
		}
	}
	return 0, fmt.Errorf("no free port in %d-%d", lo, hi)
}

// Start runs initdb and starts a server. Stop it with Stop.
func Start() (*Server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "dangwu-pg-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, data: filepath.Join(dir, "data"), bin: bin}
	if os.Geteuid() == 0 {
		s.asUser = "nobody"
	}
	if err := s.init(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// A port taken between the check and the start: try another.
	for try := 0; ; try++ {
		if s.port, err = freePort(); err != nil {
			break
		}
		if err = s.start(); err == nil || try == 4 {
			break
		}
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

func (s *Server) init() error {
	if err := os.Chmod(s.dir, 0o755); err != nil {
		return err
	}
	if err := os.Mkdir(s.data, 0o700); err != nil {
		return err
	}
	if s.asUser != "" {
		u, err := user.Lookup(s.asUser)
		if err != nil {
			return fmt.Errorf("run PostgreSQL as %s: %w", s.asUser, err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		for _, p := range []string{s.dir, s.data} {
			if err := os.Chown(p, uid, gid); err != nil {
				return err
			}
		}
	}
	// --no-sync only skips syncing the files initdb writes; the server
	// itself runs with fsync and synchronous_commit on, as in production.
	return s.run(filepath.Join(s.bin, "initdb"), "-D", s.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync")
}

func (s *Server) start() error {
	opts := fmt.Sprintf("-k %s -p %d -c listen_addresses=127.0.0.1 -c max_connections=200", s.dir, s.port)
	return s.run(filepath.Join(s.bin, "pg_ctl"), "-D", s.data, "-l", filepath.Join(s.dir, "server.log"), "-o", opts, "-w", "-t", "60", "start")
}

// run runs a PostgreSQL program, as nobody when we are root.
func (s *Server) run(prog string, args ...string) error {
	var cmd *exec.Cmd
	if s.asUser != "" {
		cmd = exec.Command("runuser", append([]string{"-u", s.asUser, "--", prog}, args...)...)
	} else {
		cmd = exec.Command(prog, args...)
	}
	cmd.Dir = s.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "server.log"))
		return fmt.Errorf("%s: %w\n%s\n%s", filepath.Base(prog), err, out, log)
	}
	return nil
}

// Stop stops the server at once and removes its folder.
func (s *Server) Stop() {
	s.run(filepath.Join(s.bin, "pg_ctl"), "-D", s.data, "-m", "immediate", "-w", "stop")
	os.RemoveAll(s.dir)
}

// Port is the server's TCP port on 127.0.0.1.
func (s *Server) Port() int { return s.port }

// URL is the URL of database name on the server.
func (s *Server) URL(name string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, name)
}

// NewDatabase creates an empty database and returns its URL.
func (s *Server) NewDatabase(ctx context.Context) (string, error) {
	name := fmt.Sprintf("t%d_%d", os.Getpid(), s.n.Add(1))
	conn, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	return s.URL(name), nil
}

// Exec runs SQL on database name (the tests' way to tamper or inspect).
func (s *Server) Exec(ctx context.Context, url, sql string, args ...any) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql, args...)
	return err
}

// shared is the one server of a test binary.
var shared struct {
	once sync.Once
	s    *Server
	err  error
}

// Shared returns the test binary's one server, started on first use; Main
// stops it. When the binaries are missing the test is skipped with a loud
// message (failed with DANGWU_PG_REQUIRED=1).
func Shared(t testing.TB) *Server {
	t.Helper()
	shared.once.Do(func() {
		start := time.Now()
		shared.s, shared.err = Start()
		if shared.err == nil {
			fmt.Fprintf(os.Stderr, "pgtest: PostgreSQL started on 127.0.0.1:%d in %v\n", shared.s.port, time.Since(start).Round(time.Millisecond))
		}
	})
	switch {
	case errors.Is(shared.err, ErrNoBinaries) && os.Getenv("DANGWU_PG_REQUIRED") == "":
		t.Skip("WARNING: SKIPPED, PostgreSQL is not installed (apt-get install postgresql): " + shared.err.Error())
	case shared.err != nil:
		t.Fatalf("start PostgreSQL: %v", shared.err)
	}
	return shared.s
}

// Database is a fresh database on the shared server, for one test.
func Database(t testing.TB) string {
	t.Helper()
	s := Shared(t)
	url, err := s.NewDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return url
}

// Main runs a test binary's tests and then stops the shared server:
// call it from TestMain.
func Main(m interface{ Run() int }) int {
	code := m.Run()
	if shared.s != nil {
		shared.s.Stop()
	}
	return code
}
