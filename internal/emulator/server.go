package emulator

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server is an Emulator listening on a TCP address.
type Server struct {
	*Emulator
	listener net.Listener
	http     *http.Server
	url      string
	certPEM  []byte
	done     chan error

	stopOnce sync.Once
	stopErr  error
}

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves in
// the background. With tls it serves HTTPS with a fresh self-signed
// certificate for 127.0.0.1, ::1 and localhost (see CertPEM).
func Start(addr string, opts Options, useTLS bool) (*Server, error) {
	e, err := New(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		e.Close()
		return nil, fmt.Errorf("emulator: listen: %w", err)
	}
	s := &Server{
		Emulator: e,
		listener: ln,
		http: &http.Server{
			Handler:           e.Handler(),
			ReadHeaderTimeout: 30 * time.Second,
			MaxHeaderBytes:    MaxRequestBytes,
			// HTTP/1.1 only: the ConnectionClosed fault needs to hijack the
			// connection, which HTTP/2 does not allow.
			TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
		},
		done: make(chan error, 1),
	}
	scheme := "http"
	if useTLS {
		cert, certPEM, err := selfSignedCertificate()
		if err != nil {
			ln.Close()
			e.Close()
			return nil, err
		}
		s.certPEM = certPEM
		s.http.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		s.listener = tls.NewListener(ln, s.http.TLSConfig)
		scheme = "https"
	}
	s.url = scheme + "://" + ln.Addr().String()
	go func() { s.done <- s.http.Serve(s.listener) }()
	return s, nil
}

// URL is the server's base URL, such as http://127.0.0.1:8790.
func (s *Server) URL() string { return s.url }

// Addr is the listening address, host:port (what darabonba's Endpoint takes).
func (s *Server) Addr() string { return s.listener.Addr().String() }

// CertPEM is the self-signed certificate (PEM) when serving TLS, else nil.
func (s *Server) CertPEM() []byte { return s.certPEM }

// Close stops the server (waiting briefly for requests in flight, ending
// held responses) and closes the emulator, flushing its files. Closing
// again returns the first result.
func (s *Server) Close() error {
	s.stopOnce.Do(func() {
		s.closeOnce.Do(func() { close(s.closing) })
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := s.http.Shutdown(ctx)
		if err != nil {
			err = s.http.Close()
		}
		if serveErr := <-s.done; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
			err = errors.Join(err, serveErr)
		}
		s.stopErr = errors.Join(err, s.Emulator.Close())
	})
	return s.stopErr
}

// selfSignedCertificate makes a short-lived ECDSA certificate for the
// loopback names. It is its own CA, so clients trust it by adding CertPEM
// to their roots (SSL_CERT_FILE, or a custom pool).
func selfSignedCertificate() (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "imm-emulator", Organization: []string{"imm-emulator"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	return cert, certPEM, err
}
