package emulator

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// This file is the XML side of the wire: the RPC common parameter
// Format=XML asks the gateway for XML instead of JSON. The answer is the
// JSON answer rewritten, so both formats always say the same thing.

// wantsXML reports whether a request's Format parameter asks for XML (in
// any case); every other value, and none, means JSON.
func wantsXML(format string) bool { return strings.EqualFold(format, "XML") }

// xmlContentType is the gateway's content type for XML answers, the one
// darabonba's error reader recognises.
const xmlContentType = "text/xml;charset=utf-8"

// jsonToXML rewrites a JSON object as the gateway writes XML: an XML
// declaration, then an element named root holding one element per field, in
// the JSON's order. Objects nest; an array becomes one element per item,
// each named after the array (so an empty array leaves no element); strings
// are escaped text; numbers keep their exact digits; true, false and null
// (empty) are text. Field names that are not XML names are mended by
// xmlName.
func jsonToXML(root string, body []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := writeXMLValue(&b, dec, xmlName(root)); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("trailing data after the JSON value")
	}
	return b.Bytes(), nil
}

// writeXMLValue writes the decoder's next JSON value as the element name.
func writeXMLValue(b *bytes.Buffer, dec *json.Decoder, name string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			for dec.More() {
				if err := writeXMLValue(b, dec, name); err != nil {
					return err
				}
			}
			_, err = dec.Token() // ']'
			return err
		}
		b.WriteString("<" + name + ">")
		for dec.More() {
			keyTok, err := dec.Token()
			if err != nil {
				return err
			}
			key, ok := keyTok.(string)
			if !ok {
				return fmt.Errorf("object key %v is not a string", keyTok)
			}
			if err := writeXMLValue(b, dec, xmlName(key)); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil { // '}'
			return err
		}
		b.WriteString("</" + name + ">")
		return nil
	case string:
		return writeXMLText(b, name, t)
	case json.Number:
		return writeXMLText(b, name, t.String())
	case bool:
		return writeXMLText(b, name, strconv.FormatBool(t))
	case nil:
		return writeXMLText(b, name, "")
	default:
		return fmt.Errorf("unexpected JSON token %v", tok)
	}
}

func writeXMLText(b *bytes.Buffer, name, text string) error {
	b.WriteString("<" + name + ">")
	if err := xml.EscapeText(b, []byte(text)); err != nil {
		return err
	}
	b.WriteString("</" + name + ">")
	return nil
}

// xmlName makes s a valid XML element name (letters, digits, '_', '-' and
// '.', not starting with a digit, '-' or '.'): a name that starts with one
// of those three gets a leading '_', and every other character becomes '_'.
func xmlName(s string) string {
	if s == "" {
		return "_"
	}
	var b strings.Builder
	for i, r := range s {
		inName := unicode.IsDigit(r) || r == '-' || r == '.'
		switch {
		case unicode.IsLetter(r) || r == '_':
			b.WriteRune(r)
		case inName && i == 0:
			b.WriteByte('_')
			b.WriteRune(r)
		case inName:
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
