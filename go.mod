module github.com/dangwu-org/dangwu

go 1.26.8

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/adrg/frontmatter v0.2.0
	github.com/yuin/goldmark v1.8.7
	gopkg.in/yaml.v2 v2.4.0
)

require (
	github.com/fsnotify/fsnotify v1.10.1
	github.com/mattn/go-sqlite3 v1.14.53
	golang.org/x/mod v0.43.0
	golang.org/x/text v0.44.0
)

require golang.org/x/sys v0.13.0 // indirect
