//go:build tools

// Package tools pins the command this wrapper module builds (issue 21 item 4).
package tools

import _ "go.etcd.io/etcd/server/v3"
