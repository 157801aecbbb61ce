package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// command is one subcommand's flags, with Chinese usage and errors, read
// wherever they stand among the positional arguments (STYLE §12 "Flags
// anywhere"): `dangwu export TASK --format json` and
// `dangwu export --format json TASK` are the same.
type command struct {
	*flag.FlagSet
	usage  string // the usage line(s): "用法：dangwu export [选项] 任务编号"
	stderr io.Writer
}

// newCommand returns the flag set of `dangwu <name>`; usage is its usage
// line(s), printed before the options on -h and on a mistake.
func newCommand(name, usage string, stderr io.Writer) *command {
	c := &command{FlagSet: flag.NewFlagSet("dangwu "+name, flag.ContinueOnError), usage: usage, stderr: stderr}
	c.SetOutput(io.Discard) // the flag package's English stays out of sight
	c.Usage = func() {}
	return c
}

// parse reads args, flags before and after positional arguments alike, and
// returns the positional arguments. "--" ends the flags. -h prints the
// usage and returns flag.ErrHelp; a mistake prints it and returns the
// mistake in Chinese.
func (c *command) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := c.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				c.printUsage()
				return nil, err
			}
			c.printUsage()
			return nil, fmt.Errorf("%s：%s", strings.TrimPrefix(c.Name(), "dangwu "), flagError(err))
		}
		rest := c.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// fail prints the usage and returns a Chinese mistake about the arguments.
func (c *command) fail(format string, args ...any) error {
	c.printUsage()
	return fmt.Errorf("%s：%s", strings.TrimPrefix(c.Name(), "dangwu "), fmt.Sprintf(format, args...))
}

// printUsage prints the usage line and every option with its Chinese
// description and default.
func (c *command) printUsage() {
	var b strings.Builder
	b.WriteString(c.usage)
	b.WriteString("\n")
	first := true
	c.VisitAll(func(f *flag.Flag) {
		if first {
			b.WriteString("\n选项：\n")
			first = false
		}
		name, desc := flag.UnquoteUsage(f)
		dashes := "--"
		if len(f.Name) == 1 {
			dashes = "-"
		}
		fmt.Fprintf(&b, "  %s%s", dashes, f.Name)
		if name != "" {
			if name == "value" {
				name = "值"
			}
			b.WriteString(" " + name)
		}
		b.WriteString("\n      " + desc)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(&b, "（默认 %s）", f.DefValue)
		}
		b.WriteString("\n")
	})
	io.WriteString(c.stderr, b.String())
}

// flagError says a flag package error in Chinese.
func flagError(err error) string {
	msg := err.Error()
	for _, m := range []struct{ prefix, zh string }{
		{"flag provided but not defined: ", "没有这个选项：%s"},
		{"flag needs an argument: ", "选项 %s 需要一个值"},
		{"bad flag syntax: ", "选项写法不对：%s"},
	} {
		if rest, ok := strings.CutPrefix(msg, m.prefix); ok {
			return fmt.Sprintf(m.zh, rest)
		}
	}
	// invalid value "x" for flag -n: parse error
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		value, flagName, _ := strings.Cut(rest, " for flag ")
		flagName, _, _ = strings.Cut(flagName, ":")
		return fmt.Sprintf("选项 %s 的值 %s 无效", flagName, value)
	}
	if rest, ok := strings.CutPrefix(msg, "invalid boolean value "); ok {
		value, flagName, _ := strings.Cut(rest, " for ")
		flagName, _, _ = strings.Cut(flagName, ":")
		return fmt.Sprintf("选项 %s 只能是 true 或 false，不能是 %s", flagName, value)
	}
	if rest, ok := strings.CutPrefix(msg, "invalid boolean flag "); ok {
		flagName, _, _ := strings.Cut(rest, ":")
		return fmt.Sprintf("选项 -%s 只能是 true 或 false", flagName)
	}
	return msg
}
