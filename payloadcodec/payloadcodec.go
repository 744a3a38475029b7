// Package payloadcodec encrypts every payload guestflow hands to Temporal
// (workflow inputs, results, signals, updates, queries, activity summaries),
// because they carry guests' personal data and the Web UI and the CLI show
// payloads as they are stored. The key stays with guestflow: the Temporal
// server, and Temporal Cloud, see ciphertext only. Staff's browsers decode
// through the codec server (Handler) that guestflow serves.
package payloadcodec

import (
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
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

const (
	encoding    = "binary/encrypted"
	metaKeyID   = "encryption-key-id"
	metaEncoder = "encoding"
)

// Codec is AES-256-GCM over the whole serialised payload.
type Codec struct {
	keyID string
	aead  cipher.AEAD
}

// New builds a codec from a 32-byte key given as base64 or hex (the form
// `openssl rand -base64 32` prints). The key id stored beside each payload
// is derived from the key, so a rotated key is recognised, never guessed.
func New(key string) (*Codec, error) {
	raw, err := parseKey(key)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(raw)
	return &Codec{keyID: hex.EncodeToString(sum[:4]), aead: aead}, nil
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
		nonce := make([]byte, c.aead.NonceSize())
		if _, err := rand.Read(nonce); err != nil {
			return nil, err
		}
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{metaEncoder: []byte(encoding), metaKeyID: []byte(c.keyID)},
			Data:     c.aead.Seal(nonce, nonce, plain, nil),
		}
	}
	return out, nil
}

// Decode decrypts payloads this codec encrypted and passes others through,
// so histories written before encryption was turned on still read.
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[metaEncoder]) != encoding {
			out[i] = p
			continue
		}
		if id := string(p.GetMetadata()[metaKeyID]); id != c.keyID {
			return nil, fmt.Errorf("payload encrypted with key %s, this codec holds key %s", id, c.keyID)
		}
		n := c.aead.NonceSize()
		if len(p.Data) < n {
			return nil, errors.New("encrypted payload is too short")
		}
		plain, err := c.aead.Open(nil, p.Data[:n], p.Data[n:], nil)
		if err != nil {
			return nil, errors.New("encrypted payload does not decrypt with this key")
		}
		var decoded commonpb.Payload
		if err := proto.Unmarshal(plain, &decoded); err != nil {
			return nil, err
		}
		out[i] = &decoded
	}
	return out, nil
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
