// Package payloadcodec encrypts every payload guestflow hands to Temporal
// (workflow inputs, results, signals, updates, queries, activity summaries),
// because they carry guests' personal data and the Web UI and the CLI show
// payloads as they are stored. The key stays with guestflow: the Temporal
// server, and Temporal Cloud, see ciphertext only. Staff's browsers decode
// through the codec server (Handler) that guestflow serves.
package payloadcodec

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/proxy"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

const (
	encoding    = "binary/encrypted"
	metaKeyID   = "encryption-key-id"
	metaEncoder = "encoding"
)

// Codec is AES-256-GCM over the whole serialised payload. It encrypts with
// one key and decrypts with that key or any previous one, so keys rotate
// without making older histories unreadable.
type Codec struct {
	encrypt key   // writes every new payload
	keys    []key // the encrypting key first, then the previous keys
}

// key is one AES-256-GCM key and the id stored beside each payload it
// encrypts: the first 4 bytes of the key's SHA-256, in hex. The id names the
// key without revealing it.
type key struct {
	id   string
	aead cipher.AEAD
}

// New builds a codec that encrypts with payloadKey and decrypts payloads
// written under payloadKey or any of previous (keys rotated out, kept for
// the histories they wrote). Each key is 32 bytes as base64 or hex (the form
// `openssl rand -base64 32` prints). The key id stored beside each payload
// is derived from the key, so a rotated key is recognised, never guessed.
func New(payloadKey string, previous ...string) (*Codec, error) {
	c := &Codec{}
	for i, s := range append([]string{payloadKey}, previous...) {
		k, err := newKey(s)
		if err == nil {
			for _, seen := range c.keys {
				if seen.id == k.id {
					err = fmt.Errorf("key id %s is listed twice", k.id)
				}
			}
		}
		switch {
		case err != nil && i > 0:
			return nil, fmt.Errorf("previous key %d: %w", i, err)
		case err != nil:
			return nil, err
		}
		c.keys = append(c.keys, k)
	}
	c.encrypt = c.keys[0]
	return c, nil
}

func newKey(s string) (key, error) {
	raw, err := parseKey(s)
	if err != nil {
		return key{}, err
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return key{}, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return key{}, err
	}
	sum := sha256.Sum256(raw)
	return key{id: hex.EncodeToString(sum[:4]), aead: aead}, nil
}

// KeyID is the id of the key new payloads are encrypted with.
func (c *Codec) KeyID() string { return c.encrypt.id }

// DecryptKeyIDs are the ids of every key this codec decrypts with, the
// encrypting key first.
func (c *Codec) DecryptKeyIDs() []string {
	ids := make([]string, len(c.keys))
	for i, k := range c.keys {
		ids[i] = k.id
	}
	return ids
}

func parseKey(key string) ([]byte, error) {
	key = strings.TrimSpace(key)
	for _, decode := range []func(string) ([]byte, error){
		base64.StdEncoding.DecodeString, base64.RawStdEncoding.DecodeString, hex.DecodeString,
	} {
		if b, err := decode(key); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, errors.New("payload key must be 32 bytes, as base64 or hex (openssl rand -base64 32)")
}

// DataConverter wraps Temporal's default converter with this codec.
func (c *Codec) DataConverter() converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c)
}

// Encode encrypts each payload.
func (c *Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := proto.Marshal(p)
		if err != nil {
			return nil, err
		}
		nonce := make([]byte, c.encrypt.aead.NonceSize())
		if _, err := rand.Read(nonce); err != nil {
			return nil, err
		}
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{metaEncoder: []byte(encoding), metaKeyID: []byte(c.encrypt.id)},
			Data:     c.encrypt.aead.Seal(nonce, nonce, plain, nil),
		}
	}
	return out, nil
}

// Decode decrypts payloads with the key their key id names and passes
// unencrypted ones through, so histories written before encryption was
// turned on still read. An encrypted payload without a key id (none that
// guestflow wrote) is tried with each key in turn; GCM's tag tells the right
// one.
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[metaEncoder]) != encoding {
			out[i] = p
			continue
		}
		plain, err := c.open(string(p.GetMetadata()[metaKeyID]), p.GetData())
		if err != nil {
			return nil, err
		}
		var decoded commonpb.Payload
		if err := proto.Unmarshal(plain, &decoded); err != nil {
			return nil, err
		}
		out[i] = &decoded
	}
	return out, nil
}

// open decrypts data (nonce, then ciphertext) with the key named id, or with
// each key when id is empty.
func (c *Codec) open(id string, data []byte) ([]byte, error) {
	for _, k := range c.keys {
		if id != "" && k.id != id {
			continue
		}
		n := k.aead.NonceSize()
		if len(data) < n {
			return nil, errors.New("encrypted payload is too short")
		}
		if plain, err := k.aead.Open(nil, data[:n], data[n:], nil); err == nil {
			return plain, nil
		}
		if id != "" {
			return nil, fmt.Errorf("encrypted payload does not decrypt with key %s", id)
		}
	}
	if id == "" {
		return nil, fmt.Errorf("encrypted payload without a key id decrypts with none of keys %s",
			strings.Join(c.DecryptKeyIDs(), ", "))
	}
	return nil, fmt.Errorf("payload encrypted with key %s, this codec holds keys %s: "+
		"add the key with id %s to previous_payload_keys", id, strings.Join(c.DecryptKeyIDs(), ", "), id)
}

// CheckDecodes decodes every payload inside msg (a history, say) and returns
// the first error, which names the key id a payload needs. msg is left as it
// was.
func (c *Codec) CheckDecodes(ctx context.Context, msg proto.Message) error {
	return proxy.VisitPayloads(ctx, msg, proxy.VisitPayloadsOptions{
		Visitor: func(_ *proxy.VisitPayloadsContext, p []*commonpb.Payload) ([]*commonpb.Payload, error) {
			if _, err := c.Decode(p); err != nil {
				return nil, err
			}
			return p, nil
		},
	})
}

// Handler is the codec server the Temporal Web UI calls from staff's
// browsers (POST /decode and /encode). It answers the browser's CORS
// preflight for the UI's origin and, when token is set, requires
// "Authorization: Bearer <token>", which the UI can be configured to send.
func (c *Codec) Handler(allowedOrigin, token string) http.Handler {
	codec := converter.NewPayloadCodecHTTPHandler(c)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if allowedOrigin != "" && r.Header.Get("Origin") == allowedOrigin {
			w.Header().Set("Access-Control-Allow-Origin", allowedOrigin)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type, X-Namespace, Authorization")
			w.Header().Set("Access-Control-Allow-Methods", "POST, OPTIONS")
			w.Header().Set("Vary", "Origin")
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if token != "" && subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte("Bearer "+token)) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		codec.ServeHTTP(w, r)
	})
}
