package imm

import (
	"strings"
	"testing"
)

func TestParseEndpoint(t *testing.T) {
	tests := []struct {
		in      string
		want    Endpoint
		wantErr string
	}{
		{in: "imm.cn-hangzhou.aliyuncs.com", want: Endpoint{"https", "imm.cn-hangzhou.aliyuncs.com"}},
		{in: "imm-vpc.cn-beijing.aliyuncs.com:443", want: Endpoint{"https", "imm-vpc.cn-beijing.aliyuncs.com:443"}},
		{in: "https://imm.eu-central-1.aliyuncs.com", want: Endpoint{"https", "imm.eu-central-1.aliyuncs.com"}},
		{in: "http://127.0.0.1:8790", want: Endpoint{"http", "127.0.0.1:8790"}},
		{in: "http://localhost:8790/", want: Endpoint{"http", "localhost:8790"}},
		{in: "http://[::1]:8790", want: Endpoint{"http", "[::1]:8790"}},
		{in: "http://imm.cn-hangzhou.aliyuncs.com", wantErr: "loopback"},
		{in: "http://10.0.0.1:80", wantErr: "loopback"},
		{in: "ftp://127.0.0.1", wantErr: "not supported"},
		{in: "https://imm.example.com/path", wantErr: "no path"},
		{in: "", wantErr: "empty"},
	}
	for _, tt := range tests {
		got, err := ParseEndpoint(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseEndpoint(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseEndpoint(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	if got := RegionalEndpoint("cn-shanghai").URL(); got != "https://imm.cn-shanghai.aliyuncs.com" {
		t.Errorf("RegionalEndpoint = %s", got)
	}
}
