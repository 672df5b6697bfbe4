// Command gcs-server is the tests' loopback Google Cloud Storage: fake-gcs-server's handler, storing objects as
// files, behind a guard that adds the rules of a compose the merge relies on and the fake does not keep: the
// destination's ifGenerationMatch, checked and acted on atomically; 404 for a missing source (the fake answers
// 500, which clients retry for minutes); and GCS's limit of 1,024 components in an object. And one thing no store
// has, for the tests only: composes held on request, so that a test can act at a known moment of a merge (write
// the target, delete a part, kill the driver) instead of guessing it with a timer.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"
)

const maxComponents = 1024

// Matched on the escaped path, as object names arrive escaped ("a%2Fb.csv").
var composePath = regexp.MustCompile(`^/storage/v1/b/([^/]+)/o/(.+)/compose$`)

type buckets []string

func (b *buckets) String() string     { return strings.Join(*b, ",") }
func (b *buckets) Set(v string) error { *b = append(*b, v); return nil }

type version struct {
	bucket, name string
	generation   int64
}

type guard struct {
	fake  *fakestorage.Server
	inner http.Handler
	// A compose holds it alone, from its checks to its result, so that no other write comes between; every
	// other write shares it, and reads, which change nothing, go without.
	mu sync.RWMutex
	// Components of the composites only: any other object, or a later generation of a composite's name written
	// some other way, counts 1.
	components map[version]int
	hold       hold
}

// hold keeps the composes whose destination name holds match waiting, before their checks, until released.
type hold struct {
	mu       sync.Mutex
	match    string
	waiting  int
	released chan int // the status the held composes answer with; 0: go on
}

const holdLimit = 120 * time.Second

// wait holds a compose to name while a hold matches it; returns the status to answer with instead, or 0.
func (h *hold) wait(name string) int {
	h.mu.Lock()
	if h.match == "" || !strings.Contains(name, h.match) {
		h.mu.Unlock()
		return 0
	}
	h.waiting++
	released := h.released
	h.mu.Unlock()
	defer func() { h.mu.Lock(); h.waiting--; h.mu.Unlock() }()
	select {
	case status := <-released:
		released <- status // for the next one held
		return status
	case <-time.After(holdLimit):
		return http.StatusServiceUnavailable
	}
}

// control serves the tests' /_hold (POST, match=), /_held (GET) and /_release (POST, status=) requests.
func (g *guard) control(w http.ResponseWriter, r *http.Request) bool {
	h := &g.hold
	h.mu.Lock()
	defer h.mu.Unlock()
	switch r.URL.Path {
	case "/_hold":
		h.match = r.URL.Query().Get("match")
		h.released = make(chan int, 1)
	case "/_release":
		status, _ := strconv.Atoi(r.URL.Query().Get("status"))
		if h.released != nil {
			h.released <- status
		}
		h.match = ""
	case "/_held":
	default:
		return false
	}
	json.NewEncoder(w).Encode(map[string]int{"held": h.waiting})
	return true
}

func (g *guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_") && g.control(w, r) {
		return
	}
	if m := composePath.FindStringSubmatch(r.URL.EscapedPath()); m != nil && r.Method == http.MethodPost {
		g.compose(w, r, m[1], m[2])
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		g.mu.RLock()
		defer g.mu.RUnlock()
	}
	g.inner.ServeHTTP(w, r)
}

type composeRequest struct {
	SourceObjects []struct {
		Name       string `json:"name"`
		Generation string `json:"generation"`
	} `json:"sourceObjects"`
}

func (g *guard) compose(w http.ResponseWriter, r *http.Request, escapedBucket, escapedName string) {
	bucket, err1 := url.PathUnescape(escapedBucket)
	name, err2 := url.PathUnescape(escapedName)
	body, err3 := readBody(r)
	var request composeRequest
	if err := errors.Join(err1, err2, err3, json.Unmarshal(body, &request)); err != nil {
		fail(w, http.StatusBadRequest, "invalid", "Invalid compose request: "+err.Error())
		return
	}
	// The fake would make an empty object of none.
	if len(request.SourceObjects) == 0 {
		fail(w, http.StatusBadRequest, "required", "Required sourceObjects")
		return
	}

	if status := g.hold.wait(name); status != 0 {
		fail(w, status, "backendError", "Held by the test, and let go with this answer")
		return
	}

	g.mu.Lock()
	defer g.mu.Unlock()

	if want := r.URL.Query().Get("ifGenerationMatch"); want != "" {
		generation, err := strconv.ParseInt(want, 10, 64)
		if err != nil {
			fail(w, http.StatusBadRequest, "invalid", "Invalid value for ifGenerationMatch: "+want)
			return
		}
		if generation != g.generation(bucket, name) {
			fail(w, http.StatusPreconditionFailed, "conditionNotMet",
				"At least one of the pre-conditions you specified did not hold.")
			return
		}
	}
	total := 0
	for _, source := range request.SourceObjects {
		generation := g.generation(bucket, source.Name)
		if generation == 0 || source.Generation != "" && source.Generation != strconv.FormatInt(generation, 10) {
			fail(w, http.StatusNotFound, "notFound", fmt.Sprintf("No such object: %s/%s", bucket, source.Name))
			return
		}
		total += g.count(version{bucket, source.Name, generation})
	}
	if total > maxComponents {
		fail(w, http.StatusBadRequest, "invalid", fmt.Sprintf(
			"The number of components in the destination object (%d) exceeds the maximum (%d)", total, maxComponents))
		return
	}

	// The inner handler's answer is held back, to learn the new generation and to add the count to it.
	r.Body = io.NopCloser(bytes.NewReader(body))
	recorded := httptest.NewRecorder()
	g.inner.ServeHTTP(recorded, r)
	answer := recorded.Body.Bytes()
	var object map[string]any
	if recorded.Code == http.StatusOK && json.Unmarshal(answer, &object) == nil {
		if generation, err := strconv.ParseInt(fmt.Sprint(object["generation"]), 10, 64); err == nil {
			g.components[version{bucket, name, generation}] = total
			object["componentCount"] = total
			answer, _ = json.Marshal(object)
		}
	}
	for key, values := range recorded.Header() {
		w.Header()[key] = values
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(answer)))
	w.WriteHeader(recorded.Code)
	w.Write(answer)
}

// readBody reads a request's body, which Google's clients send gzipped; the inner handler then gets it plain.
func readBody(r *http.Request) ([]byte, error) {
	var in io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		unzipped, err := gzip.NewReader(r.Body)
		if err != nil {
			return nil, err
		}
		in = unzipped
		r.Header.Del("Content-Encoding")
	}
	return io.ReadAll(in)
}

// generation of the live object, 0 if there is none; its bytes are not read.
func (g *guard) generation(bucket, name string) int64 {
	object, err := g.fake.GetObjectStreaming(bucket, name)
	if err != nil {
		return 0
	}
	object.Close()
	return object.Generation
}

func (g *guard) count(v version) int {
	if n, ok := g.components[v]; ok {
		return n
	}
	return 1
}

// fail answers in the JSON API's error form, which clients read the reason from.
func fail(w http.ResponseWriter, status int, reason, message string) {
	log.Printf("compose refused: %d %s", status, message)
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"code":    status,
		"message": message,
		"errors":  []map[string]string{{"domain": "global", "reason": reason, "message": message}},
	}})
}

func main() {
	port := flag.Int("port", 0, "port to listen on, on 127.0.0.1")
	root := flag.String("root", "", "folder to store the objects in")
	var names buckets
	flag.Var(&names, "bucket", "bucket to create (repeatable)")
	flag.Parse()
	if *port == 0 || *root == "" {
		log.Fatal("-port and -root are required")
	}

	address := fmt.Sprintf("127.0.0.1:%d", *port)
	fake, err := fakestorage.NewServerWithOptions(fakestorage.Options{
		NoListener:  true,
		Scheme:      "http",
		StorageRoot: *root,
		// Resumable uploads send their client back to the Location they are given.
		ExternalURL: "http://" + address,
		PublicHost:  address,
		Writer:      os.Stderr,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range names {
		fake.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: name})
	}

	listener, err := net.Listen("tcp", address)
	if err != nil {
		log.Fatal(err)
	}
	server := &http.Server{Handler: &guard{fake: fake, inner: fake.HTTPHandler(), components: map[version]int{}}}
	signalled, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-signalled.Done()
		// Requests under way may end, for a while; a client that still holds one then is cut off.
		ending, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		server.Shutdown(ending)
	}()
	log.Printf("listening on %s, storing in %s", address, *root)
	if err := server.Serve(listener); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
	<-done
	fake.Stop()
}
