package web

import "github.com/dangwu-org/dangwu/collector"

// The HTTP layer asks nothing of a store beyond the contract.
var (
	_ Store        = collector.Store(nil)
	_ AdminStore   = collector.Store(nil)
	_ OpinionStore = collector.Store(nil)
	_ LedgerStore  = collector.Store(nil)
	_ RefusalStore = collector.Store(nil)
)
