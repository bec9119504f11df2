package web

import (
	"errors"
	"fmt"
	"net/http"
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

// handlerFunc is a handler that returns its error; serveError turns it into
// a status and a page, so handlers never write half a page and then fail.
type handlerFunc func(http.ResponseWriter, *http.Request) error

func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	})
}

func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
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
	page := errorPage{Status: he.status, StatusText: http.StatusText(he.status), Message: he.message}
	if body, err := s.render("error.html", page); err == nil {
		w.Write(body)
	} else {
		fmt.Fprintf(w, "%d %s: %s\n", he.status, page.StatusText, he.message)
	}
}

type errorPage struct {
	Status     int
	StatusText string
	Message    string
}
