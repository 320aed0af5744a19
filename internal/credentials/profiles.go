package credentials

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/aliyun/credentials-go/credentials/providers"
)

// profileSource reads a profile of the aliyun CLI's config.json, else a
// section of credentials-go's credentials.ini. A profile the CLI's file holds
// is always read from there, so that a profile whose credential fails is
// reported as such, not as missing from the other file.
func profileSource(name, file, what, hint string, env Environment) source {
	src := source{name: what, hint: hint}
	if name == "" && file == "" {
		src.build = func() (providers.CredentialsProvider, error) { return nil, nil }
		return src
	}
	getenv := env.getenv()
	cliPath := cliConfigPath(file, getenv)
	cli, cliErr := readCLIProfiles(cliPath)
	switch {
	case cliErr == nil && (name == "" || cli.has(name)):
		if name == "" {
			name = cli.Current
		}
		src.name = fmt.Sprintf("%s of %s (%s)", profileLabel(name), cliPath, what)
		src.build = func() (providers.CredentialsProvider, error) {
			if name == "" {
				return nil, fmt.Errorf("no profile is named and %s has no current profile", cliPath)
			}
			return providers.NewCLIProfileCredentialsProviderBuilder().WithProfileFile(cliPath).WithProfileName(name).Build()
		}
	case file != "":
		src.name = fmt.Sprintf("%s of %s (%s)", profileLabel(name), cliPath, what)
		src.build = func() (providers.CredentialsProvider, error) {
			if cliErr != nil {
				return nil, cliErr
			}
			return nil, fmt.Errorf("%s has no profile %q (it has %s)", cliPath, name, strings.Join(cli.names(), ", "))
		}
	default:
		iniPath := credentialsINIPath(getenv)
		src.name = fmt.Sprintf("the profile %q of %s (%s; %s has no such profile)", name, iniPath, what, cliPath)
		src.build = func() (providers.CredentialsProvider, error) {
			return providers.NewProfileCredentialsProviderBuilder().WithProfileName(name).Build()
		}
	}
	return src
}

func profileLabel(name string) string {
	if name == "" {
		return "the current profile"
	}
	return fmt.Sprintf("the profile %q", name)
}

// cliProfiles is what this package reads of the aliyun CLI's config.json: the
// profile names, to decide which file a profile comes from. credentials-go
// reads the credentials themselves.
type cliProfiles struct {
	Current  string `json:"current"`
	Profiles []struct {
		Name string `json:"name"`
	} `json:"profiles"`
}

func readCLIProfiles(file string) (*cliProfiles, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading the aliyun CLI configuration: %w", err)
	}
	var c cliProfiles
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s is not an aliyun CLI configuration (JSON): %w", file, err)
	}
	return &c, nil
}

func (c *cliProfiles) has(name string) bool {
	for _, p := range c.Profiles {
		if p.Name == name {
			return true
		}
	}
	return false
}

func (c *cliProfiles) names() []string {
	var out []string
	for _, p := range c.Profiles {
		out = append(out, fmt.Sprintf("%q", p.Name))
	}
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
}

// cliConfigPath is where the aliyun CLI keeps its profiles, as credentials-go
// looks for it.
func cliConfigPath(file string, getenv func(string) string) string {
	if file != "" {
		if rest, ok := strings.CutPrefix(file, "~/"); ok {
			return filepath.Join(homeDir(getenv), rest)
		}
		return file
	}
	if f := getenv("ALIBABA_CLOUD_CONFIG_FILE"); f != "" {
		return f
	}
	return filepath.Join(homeDir(getenv), ".aliyun", "config.json")
}

// credentialsINIPath is credentials-go's credentials.ini, as it looks for it.
func credentialsINIPath(getenv func(string) string) string {
	if f := getenv("ALIBABA_CLOUD_CREDENTIALS_FILE"); f != "" {
		return f
	}
	return filepath.Join(homeDir(getenv), ".alibabacloud", "credentials")
}

func homeDir(getenv func(string) string) string {
	if runtime.GOOS == "windows" {
		return getenv("USERPROFILE")
	}
	return getenv("HOME")
}
