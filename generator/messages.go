package generator

// The build problems an editor reads, in one place (STYLE §12). Each is a
// format for fmt, printed after "file:line: ".
const (
	msgMarkdown     = "Markdown 无法生成：%v"
	msgNoPage       = "链接 %s：页面不存在（没有 content/%s）"
	msgNoFile       = "链接 %s：文件不存在（没有 content/%s）"
	msgNoImage      = "图片 %s：文件不存在（没有 content/%s）"
	msgNoHeading    = "链接 %s：content/%s 中没有锚点为 %q 的标题"
	msgNotPublished = "%s:%d: 警告：链接 %s：content/%s 未发布（草稿、未到发布时间或已过期）"
	msgNoLayout     = "%s 没有可用的模板：找过 [%s]"
	msgTagPath      = "%s %q 不能用作网址路径"
	msgBaseURLFlag  = "--baseURL：%w"
	msgNotAFolder   = "%s：不是目录"

	msgUnknownShortcode = "未知的短代码 %s（可用的有 %s；网站自己的短代码写成 layouts/_shortcodes/%s.html）"
	msgShortcode        = "短代码 %s 无法生成：%v"
)
