package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file is QueryFigureClusters' CustomLabels query. IMM documents it
// only by the example `key=value`; the grammar below is the emulator's (and
// the provider's) decision, written down in DECISIONS.md ("The custom-label
// query") and doc.go:
//
//	query     = *WS condition *( 1*WS "and" 1*WS condition ) *WS  ; "and" in any case
//	condition = key *WS "=" *WS value
//	key       = 1*( any character but WS, '=', '"', '\' )
//	value     = quoted / bare
//	quoted    = '"' *( any character but '"' and '\' / "\\" / "\"" ) '"'
//	bare      = 1*( any character but WS, '"', '\' )
//
// WS is Unicode white space (unicode.IsSpace). A condition holds when the
// cluster has the label and its value (a JSON string without its quotes,
// anything else as its JSON text) equals the value exactly; all conditions
// must hold.

// labelCondition is one `key=value` of the CustomLabels query.
type labelCondition struct {
	key, value string
}

// labelQueryParser reads a CustomLabels query from left to right.
type labelQueryParser struct {
	s   string
	pos int
}

// parseLabelQuery reads a CustomLabels query by the grammar above. Its
// errors say what was expected where.
func parseLabelQuery(q string) ([]labelCondition, error) {
	p := &labelQueryParser{s: q}
	var out []labelCondition
	p.skipSpace()
	for {
		cond, err := p.condition()
		if err != nil {
			return nil, err
		}
		out = append(out, cond)
		spaced := p.skipSpace()
		if p.done() {
			return out, nil
		}
		if !spaced || !p.and() {
			return nil, fmt.Errorf(`expected " and " between conditions at %q`, p.rest())
		}
	}
}

func (p *labelQueryParser) done() bool   { return p.pos >= len(p.s) }
func (p *labelQueryParser) rest() string { return p.s[p.pos:] }

// peek returns the next character and its length in bytes (an invalid
// byte is utf8.RuneError of length 1).
func (p *labelQueryParser) peek() (rune, int) { return utf8.DecodeRuneInString(p.rest()) }

// skipSpace moves past white space and reports whether there was any.
func (p *labelQueryParser) skipSpace() bool {
	start := p.pos
	for !p.done() {
		r, size := p.peek()
		if !unicode.IsSpace(r) {
			break
		}
		p.pos += size
	}
	return p.pos > start
}

// and moves past "and" (any case) and the white space after it, when they
// come next.
func (p *labelQueryParser) and() bool {
	rest := p.rest()
	if len(rest) < 3 || !strings.EqualFold(rest[:3], "and") {
		return false
	}
	after, _ := utf8.DecodeRuneInString(rest[3:])
	if len(rest) > 3 && !unicode.IsSpace(after) {
		return false
	}
	p.pos += 3
	p.skipSpace()
	return true
}

func (p *labelQueryParser) condition() (labelCondition, error) {
	start := p.pos
	for !p.done() {
		r, size := p.peek()
		if unicode.IsSpace(r) || r == '=' || r == '"' || r == '\\' {
			break
		}
		p.pos += size
	}
	key := p.s[start:p.pos]
	if r, _ := p.peek(); !p.done() && (r == '"' || r == '\\') {
		return labelCondition{}, fmt.Errorf(`a key cannot hold '"' or '\' (at %q)`, p.rest())
	}
	if key == "" {
		return labelCondition{}, fmt.Errorf("expected a key at %q", p.rest())
	}
	p.skipSpace()
	if p.done() || p.s[p.pos] != '=' {
		return labelCondition{}, fmt.Errorf(`expected "=" after the key %q`, key)
	}
	p.pos++
	p.skipSpace()
	if p.done() {
		return labelCondition{}, fmt.Errorf(`expected a value after %s= (write "" for the empty value)`, key)
	}
	var value string
	var err error
	if p.s[p.pos] == '"' {
		value, err = p.quoted()
	} else {
		value, err = p.bare()
	}
	if err != nil {
		return labelCondition{}, fmt.Errorf("the value of %s: %w", key, err)
	}
	return labelCondition{key, value}, nil
}

func (p *labelQueryParser) quoted() (string, error) {
	p.pos++ // the opening quote
	var b strings.Builder
	for !p.done() {
		c := p.s[p.pos]
		switch c {
		case '"':
			p.pos++
			return b.String(), nil
		case '\\':
			if p.pos+1 >= len(p.s) {
				return "", errors.New(`missing the closing '"'`)
			}
			next := p.s[p.pos+1]
			if next != '"' && next != '\\' {
				return "", fmt.Errorf(`only \" and \\ are escapes in a quoted value, not \%c`, next)
			}
			b.WriteByte(next)
			p.pos += 2
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", errors.New(`missing the closing '"'`)
}

func (p *labelQueryParser) bare() (string, error) {
	start := p.pos
	for !p.done() {
		r, size := p.peek()
		if unicode.IsSpace(r) {
			break
		}
		if r == '"' || r == '\\' {
			return "", fmt.Errorf(`a value holding '"' or '\' must be written quoted: double-quote the value and escape them as \" and \\ (at %q)`, p.rest())
		}
		p.pos += size
	}
	return p.s[start:p.pos], nil
}

// labelText is a label's value as the query compares it: strings without
// their quotes, anything else as its JSON text.
func labelText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

func matchesLabels(c figureCluster, conds []labelCondition) bool {
	for _, cond := range conds {
		raw, ok := c.CustomLabels[cond.key]
		if !ok || labelText(raw) != cond.value {
			return false
		}
	}
	return true
}
