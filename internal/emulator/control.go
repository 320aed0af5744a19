package emulator

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/google/uuid"
)

// This file serves the control endpoints under /_emulator/: no signature,
// loopback clients only.
//
//	POST   /_emulator/reset     empty everything
//	GET    /_emulator/requests  the request log (JSON array)
//	DELETE /_emulator/requests  clear the request log
//	POST   /_emulator/figures   add a FigureSeed, or an array of them
//	POST   /_emulator/files     {"ProjectName","DatasetName","URIs":[...]}: index files
//	DELETE /_emulator/files     the same body: remove those files (no URIs: all)
//	GET    /_emulator/config    the traffic configuration (Config)
//	PUT    /_emulator/config    change it; absent fields stay unchanged
//	POST   /_emulator/oss/objects  upload to the fake OSS (OSSContents)
//	DELETE /_emulator/oss/objects  remove objects and buckets (OSSRemoval)
//	GET    /_emulator/oss/objects  the fake OSS's content (OSSContents)
//	GET    /_emulator/state     the whole state (the data file's format)
//	PUT    /_emulator/state     replace it
//	GET    /_emulator/ui        the dashboard (ui.go)

const maxControlBodyBytes = 16 << 20

func (e *Emulator) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/_emulator/", e.serveControl)
	mux.HandleFunc("/", e.serveAPI)
	return recoverPanics(mux)
}

// recoverPanics turns a panic into 500 InternalError so no input can take
// the emulator down. http.ErrAbortHandler is the deliberate way to drop a
// connection and passes through.
func recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v)
				}
				requestID := strings.ToUpper(uuid.NewString())
				writeAnswer(w, requestID, errorAnswer(internalError("The emulator failed: %v", v), requestID, r.Host, "imm"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func isLoopback(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

type controlError struct {
	Code    string
	Message string
}

func (e *Emulator) writeControlError(w http.ResponseWriter, status int, code, message string) {
	writeControlJSON(w, status, controlError{Code: code, Message: message})
}

func writeControlJSON(w http.ResponseWriter, status int, v any) {
	body, err := encodeJSON(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"Code":"InternalError","Message":"encoding failed"}`)
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// filesRequest is the body of POST/DELETE /_emulator/files.
type filesRequest struct {
	ProjectName string
	DatasetName string
	URIs        []string
}

func (e *Emulator) serveControl(w http.ResponseWriter, r *http.Request) {
	if !isLoopback(r.RemoteAddr) {
		e.writeControlError(w, http.StatusForbidden, "Forbidden", "The /_emulator/ endpoints answer loopback clients only.")
		return
	}
	if reason := foreignPage(r); reason != "" {
		e.writeControlError(w, http.StatusForbidden, "Forbidden", reason)
		return
	}
	if r.URL.Path == "/_emulator/ui" || strings.HasPrefix(r.URL.Path, "/_emulator/ui/") {
		e.serveUI(w, r)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxControlBodyBytes))
	if err != nil {
		e.writeControlError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", err.Error())
		return
	}
	route := r.Method + " " + r.URL.Path
	switch route {
	case "POST /_emulator/reset":
		e.Reset()
		writeControlJSON(w, http.StatusOK, struct{}{})
	case "GET /_emulator/requests":
		writeControlJSON(w, http.StatusOK, e.Requests())
	case "DELETE /_emulator/requests":
		e.ClearRequests()
		writeControlJSON(w, http.StatusOK, struct{}{})
	case "POST /_emulator/figures":
		seeds, err := ParseFigureSeeds(body)
		if err == nil {
			err = e.addSeeds(seeds)
		}
		if err != nil {
			e.writeControlError(w, http.StatusBadRequest, "InvalidArgument", err.Error())
			return
		}
		n := 0
		for _, s := range seeds {
			n += len(s.Figures)
		}
		writeControlJSON(w, http.StatusOK, struct{ Figures int }{n})
	case "POST /_emulator/files", "DELETE /_emulator/files":
		var req filesRequest
		if err := decodeStrictJSON(string(body), &req); err != nil {
			e.writeControlError(w, http.StatusBadRequest, "InvalidJSON", err.Error())
			return
		}
		change := (*service).addFiles
		if r.Method == http.MethodDelete {
			change = (*service).removeFiles
		}
		n, apiErr := e.changeFiles(req.ProjectName, req.DatasetName, req.URIs, change)
		if apiErr != nil {
			e.writeControlError(w, apiErr.Status, apiErr.Code, apiErr.Message)
			return
		}
		writeControlJSON(w, http.StatusOK, struct{ FileCount int }{n})
	case "POST /_emulator/oss/objects":
		c, err := ParseOSSContents(body)
		if err == nil {
			err = e.AddOSSObjects(c)
		}
		if err != nil {
			e.writeControlError(w, http.StatusBadRequest, "InvalidArgument", err.Error())
			return
		}
		writeControlJSON(w, http.StatusOK, struct{ Objects int }{len(c.Objects)})
	case "DELETE /_emulator/oss/objects":
		var req OSSRemoval
		if err := decodeStrictJSON(string(body), &req); err != nil {
			e.writeControlError(w, http.StatusBadRequest, "InvalidJSON", err.Error())
			return
		}
		writeControlJSON(w, http.StatusOK, struct{ Objects int }{e.RemoveOSSObjects(req)})
	case "GET /_emulator/oss/objects":
		writeControlJSON(w, http.StatusOK, e.OSS())
	case "GET /_emulator/state":
		data, err := e.State()
		if err != nil {
			e.writeControlError(w, http.StatusInternalServerError, "InternalError", err.Error())
			return
		}
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		_, _ = w.Write(data)
	case "PUT /_emulator/state":
		if err := e.SetState(body); err != nil {
			e.writeControlError(w, http.StatusBadRequest, "InvalidArgument", err.Error())
			return
		}
		writeControlJSON(w, http.StatusOK, struct{}{})
	case "GET /_emulator/config":
		writeControlJSON(w, http.StatusOK, e.Config())
	case "PUT /_emulator/config":
		if err := e.patchConfig(body); err != nil {
			e.writeControlError(w, http.StatusBadRequest, "InvalidArgument", err.Error())
			return
		}
		writeControlJSON(w, http.StatusOK, e.Config())
	default:
		for _, known := range []string{"/_emulator/reset", "/_emulator/requests", "/_emulator/figures", "/_emulator/files", "/_emulator/config", "/_emulator/oss/objects", "/_emulator/state"} {
			if r.URL.Path == known {
				e.writeControlError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", fmt.Sprintf("%s does not take %s.", known, r.Method))
				return
			}
		}
		e.writeControlError(w, http.StatusNotFound, "NotFound", "Unknown control endpoint "+r.URL.Path+".")
	}
}

// addSeeds adds several seeds, all or none.
func (e *Emulator) addSeeds(seeds []FigureSeed) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, s := range seeds {
		probe := newService(Options{})
		if err := probe.addSeed(s); err != nil {
			return errors.New(err.Message)
		}
	}
	for _, s := range seeds {
		_ = e.svc.addSeed(s)
	}
	e.saveLocked()
	return nil
}

// foreignPage says why a control request may come from a web page of
// another site, which a browser on this machine could be made to send: a
// Host that is not a loopback name (DNS rebinding), or an Origin other than
// the emulator's own (a cross-site form post or fetch). curl and Go clients
// send no Origin. It returns "" for a request the emulator takes.
func foreignPage(r *http.Request) string {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if ip := net.ParseIP(host); (ip == nil || !ip.IsLoopback()) && host != "localhost" {
		return fmt.Sprintf("The /_emulator/ endpoints answer requests addressed to a loopback name only, not to %q.", r.Host)
	}
	if origin := r.Header.Get("Origin"); origin != "" && origin != "http://"+r.Host && origin != "https://"+r.Host {
		return fmt.Sprintf("The /_emulator/ endpoints refuse requests that a page of %s sent.", origin)
	}
	return ""
}
