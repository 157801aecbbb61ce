package store

import (
	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/sqlite"
)

var (
	_ collector.Store    = (*sqlite.DB)(nil)
	_ collector.Backuper = (*sqlite.DB)(nil)
)
