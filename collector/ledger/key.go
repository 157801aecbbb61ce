package ledger

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/mod/sumdb/note"
)

// KeyName is the name the ledger's signatures carry.
const KeyName = "dangwu-ledger"

// ErrNoKey is returned by OpenKey when the key file does not exist.
var ErrNoKey = errors.New("no ledger key")

// Key is the ledger's signing key: the Ed25519 private key that signs heads
// and the public key (verifier key) anyone checks them with.
type Key struct {
	// Path is the file it was read from.
	Path string
	// Public is the verifier key in note's text form (name+hash+key), as
	// /ledger/key.txt publishes it.
	Public   string
	signer   note.Signer
	verifier note.Verifier
}

// Signer signs heads; nil for a key file holding the public key only.
func (k *Key) Signer() note.Signer { return k.signer }

// Verifier checks heads.
func (k *Key) Verifier() note.Verifier { return k.verifier }

// OpenKey reads the key file at path: the private key on its first line and
// the public key on its second (a file holding only a public key gives a
// Key that verifies but cannot sign). Returns ErrNoKey when there is none.
func OpenKey(path string) (*Key, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoKey
	}
	if err != nil {
		return nil, fmt.Errorf("读取账本密钥 %s：%w", path, err)
	}
	return parseKey(path, data)
}

func parseKey(path string, data []byte) (*Key, error) {
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if l := string(bytes.TrimSpace(sc.Bytes())); l != "" {
			lines = append(lines, l)
		}
	}
	k := &Key{Path: path}
	var err error
	switch len(lines) {
	case 1:
		k.Public = lines[0]
	case 2:
		if k.signer, err = note.NewSigner(lines[0]); err != nil {
			return nil, fmt.Errorf("账本密钥 %s 第 1 行不是私钥：%w", path, err)
		}
		k.Public = lines[1]
	default:
		return nil, fmt.Errorf("账本密钥 %s 应有两行（私钥、公钥），现有 %d 行", path, len(lines))
	}
	if k.verifier, err = note.NewVerifier(k.Public); err != nil {
		return nil, fmt.Errorf("账本密钥 %s 的公钥无效：%w", path, err)
	}
	if k.signer != nil {
		// The two lines must be one key pair.
		msg, err := note.Sign(&note.Note{Text: "key check\n"}, k.signer)
		if err == nil {
			_, err = note.Open(msg, note.VerifierList(k.verifier))
		}
		if err != nil {
			return nil, fmt.Errorf("账本密钥 %s 的私钥与公钥不是一对", path)
		}
	}
	return k, nil
}

// CreateKey makes a new key pair and writes it to path with mode 0600,
// refusing to replace an existing file.
func CreateKey(path string, random io.Reader) (*Key, error) {
	skey, vkey, err := note.GenerateKey(random, KeyName)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("创建账本密钥 %s：%w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("创建账本密钥 %s：%w", path, err)
	}
	data := []byte(skey + "\n" + vkey + "\n")
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("创建账本密钥 %s：%w", path, err)
	}
	return parseKey(path, data)
}

// LoadKey opens the key at path for a ledger that has (exists) or has not
// yet any record: a ledger without records gets a new key when there is
// none; an existing one never does, since heads signed by a new key would
// prove nothing about the old ones.
func LoadKey(path string, exists bool, random io.Reader) (*Key, error) {
	k, err := OpenKey(path)
	switch {
	case errors.Is(err, ErrNoKey) && exists:
		return nil, fmt.Errorf("找不到账本签名密钥 %s，而数据库里已有账本。请把原来的 ledger.key 放回该位置，或用 --ledger-key 指明它的位置；不会自动生成新密钥，否则以前签发的树头和回执都将无法核验", path)
	case errors.Is(err, ErrNoKey):
		return CreateKey(path, random)
	}
	return k, err
}
