package web

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// httpError is an error with the status and the sentence a user should see.
type httpError struct {
	status  int
	message string
}

func (e *httpError) Error() string { return fmt.Sprintf("%d: %s", e.status, e.message) }

var errNotFound = &httpError{http.StatusNotFound, "There is no page at this address."}

// badRequest says which parameter was wrong and why.
func badRequest(format string, args ...any) error {
	return &httpError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return &httpError{http.StatusNotFound, fmt.Sprintf(format, args...)}
}

// echoLimit is how many characters of a value from the request a message
// repeats: enough to recognise a typo, never a 100 KB parameter in full.
const echoLimit = 80

// quote repeats a value from the request in a message: quoted (so control
// characters and invalid UTF-8 show as escapes) and cut to echoLimit
// characters, saying how long it was.
func quote(v string) string {
	head, whole := clip(v)
	if whole {
		return strconv.Quote(v)
	}
	return strconv.Quote(head) + fmt.Sprintf("… (%d characters)", utf8.RuneCountInString(v))
}

// paramName repeats a parameter's name, unquoted as sentences name them
// ("The area parameter"), cut like quote.
func paramName(name string) string {
	head, whole := clip(name)
	if whole {
		return name
	}
	return head + "…"
}

// clip returns the first echoLimit characters of v, and whether that is all of it.
func clip(v string) (head string, whole bool) {
	n := 0
	for i := range v {
		if n == echoLimit {
			return v[:i], false
		}
		n++
	}
	return v, true
}

// maxMessage bounds an error sentence, whatever went into it: a message
// built elsewhere that repeats a value uncut still costs a paragraph at most.
const maxMessage = 1000

func (e *httpError) text() string {
	if len(e.message) <= maxMessage {
		return e.message
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(e.message[cut]) {
		cut--
	}
	return e.message[:cut] + "…"
}

// redirectError sends the client to the canonical address of what it asked
// for, such as /s/1/ for /s/01/: a pinned address is cached forever, so
// each snapshot has one, not a twin per way of writing its number.
type redirectError struct{ location string }

func (e *redirectError) Error() string { return "moved permanently to " + e.location }

// handlerFunc is a handler that returns its error; serveError turns it into
// a status and a page, so handlers never write half a page and then fail.
type handlerFunc func(http.ResponseWriter, *http.Request) error

func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := checkRepeatedParams(r.URL.Query())
		if err == nil {
			err = h(w, r)
		}
		if err != nil {
			s.serveError(w, r, err)
		}
	})
}

// checkRepeatedParams refuses a parameter given twice, on every route: which
// of the two a handler would read is an accident of the code.
func checkRepeatedParams(q url.Values) error {
	for _, name := range slices.Sorted(maps.Keys(q)) {
		if values := q[name]; len(values) > 1 {
			return badRequest("The %s parameter %s is given more than once.", paramName(name), quote(values[1]))
		}
	}
	return nil
}

// redirected answers a redirectError; it reports whether err was one.
func redirected(w http.ResponseWriter, err error) bool {
	var re *redirectError
	if !errors.As(err, &re) {
		return false
	}
	w.Header().Set("Location", re.location)
	w.WriteHeader(http.StatusPermanentRedirect)
	return true
}

func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	if redirected(w, err) {
		return
	}
	var he *httpError
	if !errors.As(err, &he) {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		he = &httpError{http.StatusInternalServerError, "Something went wrong on the server; the error has been logged."}
	}
	w.Header().Del("Content-Encoding")
	w.Header().Del("Content-Disposition")
	w.Header().Del("ETag")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(he.status)
	page := errorPage{Status: he.status, StatusText: http.StatusText(he.status), Message: he.text()}
	if body, err := s.render("error.html", page); err == nil {
		w.Write(body)
	} else {
		fmt.Fprintf(w, "%d %s: %s\n", he.status, page.StatusText, page.Message)
	}
}

type errorPage struct {
	Status     int
	StatusText string
	Message    string
}

// noRoute answers a request no route took: 405 with an Allow header when
// routes serve its path with other methods, else notFound.
func (s *Server) noRoute(mux *http.ServeMux, notFound error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		allowed := allowedMethods(mux, r)
		if len(allowed) == 0 {
			return notFound
		}
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		return &httpError{http.StatusMethodNotAllowed,
			fmt.Sprintf("This address answers %s requests only.", strings.Join(allowed, " and "))}
	}
}

// allowedMethods lists the methods routes other than the catch-alls serve
// r's path with, asking the mux itself so the answer follows the routes.
func allowedMethods(mux *http.ServeMux, r *http.Request) []string {
	var allowed []string
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		probe := r.Clone(r.Context())
		probe.Method = method
		if _, pattern := mux.Handler(probe); pattern != "/" && pattern != "/api/" && pattern != "" {
			allowed = append(allowed, method)
			if method == http.MethodGet {
				allowed = append(allowed, http.MethodHead) // GET routes answer HEAD too
			}
		}
	}
	return allowed
}
