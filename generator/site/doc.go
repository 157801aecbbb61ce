// Package site is the shared domain of dangwu: the site, its columns (栏目), pages,
// branches (党支部), tasks (工作任务) and their periods, statuses and the status
// snapshot that the collector feeds back into the generator.
//
// It holds types and pure rules only. It imports nothing outside the standard
// library, so that the generator and the collector can both depend on it
// without depending on each other.
package site
