package external

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"

	"github.com/troveproject/trove/internal/extproto"
)

// ProgramPrefix is prepended to externaltype to name the helper program.
const ProgramPrefix = "git-annex-remote-"

// helper is one running helper process. Its stdout is read by one
// goroutine that routes each line to the job it belongs to: job 0 until
// the helper takes the ASYNC extension, then the job of its "J n" frame.
// Safe for concurrent use.
type helper struct {
	program string // e.g. git-annex-remote-rclone
	label   string // for errors: "git-annex-remote-rclone (remote foo)"
	cmd     *exec.Cmd
	stdin   io.WriteCloser

	wmu sync.Mutex // serialises writes to stdin

	mu      sync.Mutex
	async   bool
	jobs    map[int]chan string
	nextJob int
	err     error         // why the helper is unusable; set once
	dead    chan struct{} // closed when err is set
	exited  chan struct{} // closed once the process was waited for

	prepareMu  sync.Mutex // held while PREPARE runs
	prepared   bool
	prepareErr error
}

// startHelper starts program. warn receives the lines it writes to stderr.
func startHelper(program, remoteName string, warn func(string)) (*helper, error) {
	path, err := exec.LookPath(program)
	if err != nil {
		//nolint:staticcheck // git-annex's text, capitalised as it prints it
		return nil, fmt.Errorf("Cannot run %s -- It is not installed in PATH (%s): unable to use external special remote %s",
			program, os.Getenv("PATH"), program)
	}
	h := &helper{
		program: program,
		label:   fmt.Sprintf("%s (remote %s)", program, remoteName),
		jobs:    map[int]chan string{0: make(chan string, 16)},
		nextJob: 1,
		dead:    make(chan struct{}),
		exited:  make(chan struct{}),
	}
	cmd := exec.Command(path)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", h.label, err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", h.label, err)
	}
	// stderr goes through a pipe of our own, so that Wait does not wait
	// for grandchildren that inherited it.
	er, ew, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", h.label, err)
	}
	cmd.Stderr = ew
	if err := cmd.Start(); err != nil {
		er.Close()
		ew.Close()
		return nil, fmt.Errorf("starting %s: %w", h.label, err)
	}
	ew.Close()
	h.cmd, h.stdin = cmd, stdin
	go forwardLines(er, warn)
	go h.readLoop(stdout)
	return h, nil
}

// forwardLines passes each line of r to warn until r ends.
func forwardLines(r io.ReadCloser, warn func(string)) {
	defer r.Close()
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 4096), 1<<20)
	for s.Scan() {
		warn(s.Text())
	}
}

// readLoop routes stdout lines to jobs until the helper's output ends or
// breaks the protocol, then kills and reaps the process.
func (h *helper) readLoop(stdout io.Reader) {
	r := extproto.NewReader(stdout)
	for {
		line, err := r.ReadLine()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			h.fail(err)
			return
		}
		if err := h.route(line); err != nil {
			h.fail(err)
			return
		}
	}
}

// route hands line to the job it belongs to.
func (h *helper) route(line string) error {
	h.mu.Lock()
	async := h.async
	h.mu.Unlock()
	job := 0
	if async {
		n, rest, ok := extproto.SplitJob(line)
		if !ok {
			if m, err := extproto.ParseFromRemote(line); err == nil && m.Command == extproto.Error {
				h.broadcast(line)
				return nil
			}
			return fmt.Errorf("async external special remote protocol error: unexpected non-async message %q", line)
		}
		job, line = n, rest
	}
	h.mu.Lock()
	ch, ok := h.jobs[job]
	h.mu.Unlock()
	if !ok {
		return fmt.Errorf("async external special remote protocol error: unknown job number %d in %q", job, line)
	}
	select {
	case ch <- line:
	case <-h.dead:
	}
	return nil
}

// broadcast sends line to every job, as git-annex relays ERROR.
func (h *helper) broadcast(line string) {
	h.mu.Lock()
	chs := make([]chan string, 0, len(h.jobs))
	for _, ch := range h.jobs {
		chs = append(chs, ch)
	}
	h.mu.Unlock()
	for _, ch := range chs {
		select {
		case ch <- line:
		default: // a job with a full queue is failed by kill anyway
		}
	}
}

// fail records why the helper is unusable (nil: its output ended), kills
// it and reaps it. Only the first call has an effect.
func (h *helper) fail(cause error) {
	h.mu.Lock()
	if h.err != nil {
		h.mu.Unlock()
		return
	}
	h.err = cause
	if h.err == nil {
		h.err = errExited
	}
	close(h.dead)
	h.mu.Unlock()
	// The whole process group: a shell script's children (rclone) too.
	_ = syscall.Kill(-h.cmd.Process.Pid, syscall.SIGKILL)
	go func() {
		werr := h.cmd.Wait()
		h.mu.Lock()
		if errors.Is(h.err, errExited) && werr != nil {
			h.err = fmt.Errorf("%w (%v)", errExited, werr)
		}
		h.mu.Unlock()
		close(h.exited)
	}()
}

// errExited: the helper closed its output (it exited or crashed).
var errExited = errors.New("exited unexpectedly")

// failure returns the error that made the helper unusable, naming it.
func (h *helper) failure() error {
	<-h.dead
	h.mu.Lock()
	exited := errors.Is(h.err, errExited)
	h.mu.Unlock()
	if exited {
		// Give the exit status a chance to be known: the process closed
		// its output, so it is exiting (or was just killed).
		<-h.exited
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return fmt.Errorf("external special remote %s: %w", h.label, h.err)
}

// alive reports whether the helper can still be used.
func (h *helper) alive() bool {
	select {
	case <-h.dead:
		return false
	default:
		return true
	}
}

// write sends one message.
func (h *helper) write(m extproto.Message) error {
	h.wmu.Lock()
	defer h.wmu.Unlock()
	if err := extproto.Write(h.stdin, m); err != nil {
		if errors.Is(err, extproto.ErrSyntax) {
			return fmt.Errorf("external special remote %s: %w", h.label, err)
		}
		h.fail(fmt.Errorf("writing to it: %w", err))
		return h.failure()
	}
	return nil
}

// setAsync switches the helper to ASYNC framing: job 0 (the handshake)
// ends and numbered jobs begin.
func (h *helper) setAsync() {
	h.mu.Lock()
	h.async = true
	delete(h.jobs, 0)
	h.mu.Unlock()
}

// isAsync reports whether the helper took the ASYNC extension.
func (h *helper) isAsync() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.async
}

// newJob registers a new ASYNC job.
func (h *helper) newJob() *job {
	h.mu.Lock()
	defer h.mu.Unlock()
	id := h.nextJob
	h.nextJob++
	ch := make(chan string, 16)
	h.jobs[id] = ch
	return &job{h: h, id: id, ch: ch}
}

// endJob forgets an ASYNC job.
func (h *helper) endJob(j *job) {
	if j.id == 0 {
		return
	}
	h.mu.Lock()
	delete(h.jobs, j.id)
	h.mu.Unlock()
}

// close ends the helper the way git-annex does: by closing its input.
// It waits for the process to exit until stop is closed, then kills it.
func (h *helper) close(stop <-chan struct{}) {
	h.wmu.Lock()
	h.stdin.Close()
	h.wmu.Unlock()
	select {
	case <-h.dead:
	case <-stop:
		h.fail(errors.New("killed: the command ended"))
	}
	<-h.exited
}
