//go:build tools

// Package tools pins the commands this wrapper module builds (issue 21 item 4).
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
