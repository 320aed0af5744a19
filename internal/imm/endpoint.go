package imm

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Endpoint is where requests go: a protocol ("https" or "http") and a host with
// an optional port.
type Endpoint struct {
	Protocol string
	Host     string
}

// URL returns the endpoint as protocol://host.
func (e Endpoint) URL() string { return e.Protocol + "://" + e.Host }

// RegionalEndpoint is IMM's public endpoint in a region.
func RegionalEndpoint(region string) Endpoint {
	return Endpoint{Protocol: "https", Host: "imm." + region + ".aliyuncs.com"}
}

// ParseEndpoint reads an explicit endpoint: "host[:port]" (HTTPS) or a URL
// with its scheme, such as the line the emulator prints
// ("http://127.0.0.1:8790"). Plain http is allowed only for a loopback
// address, so that credentials never cross a network unencrypted.
func ParseEndpoint(s string) (Endpoint, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Endpoint{}, fmt.Errorf("the endpoint is empty")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return Endpoint{}, fmt.Errorf("%q is not a host[:port] or a URL: %w", s, err)
	}
	if u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return Endpoint{}, fmt.Errorf("%q must be a host[:port] or scheme://host[:port], with no path, query or user", s)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return Endpoint{}, fmt.Errorf("plain http is allowed only for a loopback address (such as the local emulator); use https for %s", u.Host)
		}
	default:
		return Endpoint{}, fmt.Errorf("scheme %q is not supported: use https (or http for a loopback address)", u.Scheme)
	}
	return Endpoint{Protocol: u.Scheme, Host: u.Host}, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
