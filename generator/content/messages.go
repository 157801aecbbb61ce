package content

// The messages an editor reads, in one place (STYLE §12 "Messages in one
// place"). Each is a format for fmt: a diagnostic is printed as
// "file:line: message", and a message about one front-matter key starts
// with the key ("date: …"), which the decoder adds.
const (
	// Reading and splitting a file.
	msgRead            = "无法读取文件：%v"
	msgUnclosed        = "前置信息以第 %d 行的 %s 开始，但没有结束的 %s 行（前置信息须以单独一行的 %s 结束）"
	msgFrontMatter     = "前置信息格式错误：%s"
	msgFrontMatterTOML = "前置信息（TOML）格式错误：%s"
	msgChanged         = "文件在生成期间被改动，请重新生成"

	// Values of front-matter keys.
	msgNotText      = "应为文字，实际是 %s"
	msgNotBool      = "应为 true 或 false，实际是 %s"
	msgNotInt       = "应为整数，实际是 %s"
	msgNotNumber    = "应为数字，实际是 %s"
	msgNotList      = "应为文字列表，实际是 %s"
	msgNotListItem  = "应为文字列表，其中有 %s"
	msgNotTime      = "%q 不是 %s 时区的有效时间（请写成 2026-11-28 或 2026-11-28T17:00:00+08:00）"
	msgNotDate      = "应为日期，实际是 %s"
	msgSlug         = "%q 不能用作网址的一部分（不能含 / \\ ? # %% 或为 . ..）"
	msgURL          = "%q 不是站内的网址路径（应写成 /about/ 这样以 / 开头、不含 .. 的路径）"
	msgURLFile      = "%q 是文件形式的网址；dangwu 的页面网址以 / 结尾（如 /about/），旧网址可写进 aliases"
	msgAlias        = "%q 不是站内的路径"
	msgMenu         = "应为 main、[main] 或 {main: {weight: 数字, name: 文字}}，实际是 %s"
	msgMenuOther    = "dangwu 只有主导航 main，没有 %q"
	msgAttachList   = "应为 {file, title} 的列表，实际是 %s"
	msgAttachNoFile = "有一项没有写 file"
	msgAttachItem   = "应为文件名或 {file, title}，实际是 %s"
	msgOutsideDir   = "%q 在页面包之外"
	msgNotInBundle  = "页面包 %[2]s 里没有文件 %[1]q"

	// Keys.
	msgUnknownKey     = "未知的前置信息 %q，已忽略"
	msgUnknownKeyNear = "未知的前置信息 %q，已忽略；是否想写 %q？"
	msgHugoKey        = "前置信息 %q 是 Hugo 的功能，dangwu 不支持，已忽略"
	msgRequired       = "缺少必填的前置信息 %q（栏目 %s 要求：%s）"

	// The site as a whole.
	msgURLTaken      = "%s /%s 与 %s 的网址相同"
	msgWhatURL       = "网址"
	msgWhatAlias     = "别名"
	msgLangFile      = "文件名 %s 像 Hugo 的多语言译文（语言 %s）：dangwu 只有一种语言，它作为一个普通页面发布"
	msgNestedBranch  = "支部之下不能再有子栏目：支部是 content/branches/<编号>/_index.md，其下只放支部自己的文章"
	msgNestedTask    = "工作任务栏目里不能有子栏目：每项任务写成 content/tasks/<编号>.md（或 content/tasks/<编号>/index.md）"
	msgBranchID      = "支部编号 %q 只能用小写字母、数字、- 和 _"
	msgBranchNoIndex = "支部目录 %s 缺少 _index.md"
	msgTaskID        = "任务编号 %q 只能用小写字母、数字、- 和 _"
	msgTaskDeadline  = "任务须有截止时间 deadline（或按周期重复：every: month | quarter | year 加 due）"
	msgTaskRecurring = "按周期重复的任务写 due（每期结束后几天内报送），不写 deadline"
	msgTaskDue       = "%d 不是 0 到 366 之间的天数"
	msgTaskEvery     = "%q 不是 month、quarter 或 year"
	msgTaskKind      = "%q 不是 task 或 notice（通知签收）"
	msgTaskScore     = "%v 是负数"
	msgTaskBranch    = "%q 不是支部（没有 content/branches/%s/_index.md）"
	msgTaskUnit      = "%q 不是党总支或党委（它的 kind 是 %s，下面没有支部）"

	// The organization tree (content/branches/<id>/_index.md: parent, kind).
	msgBranchKind          = "%q 不是支部、总支或党委（也可写党支部、党总支、二级党委）"
	msgBranchParentUnknown = "上级 %q 不存在（没有 content/branches/%s/_index.md）"
	msgBranchParentNear    = "上级 %q 不存在（没有 content/branches/%s/_index.md）；是否想写 %q？"
	msgBranchParentSelf    = "上级不能是自己"
	msgBranchParentNotUnit = "上级 %q 是党支部，不是党总支或党委（在 %s 里写 kind: 总支 或 kind: 党委）"
	msgBranchCycle         = "上级关系成环：%s"
	msgFieldsNone          = "任务至少要有一个字段"
	msgFieldsList          = "应为 {name, label, type, …} 的列表，实际是 %s"
	msgFieldsEntry         = "第 %d 项：应为 {name, label, type, …}，实际是 %s"
	msgFieldsEntryErr      = "第 %d 项（%s）：%s"
	msgFieldsDuplicate     = "第 %d 项：字段名 %q 重复"

	// One field of a task (the parts after "第 N 项（name）：").
	msgFieldUnknownKey = "未知的键 %s（可用：name、label、type、required、help，以及按类型的 max、min、decimals、options、accept）"
	msgFieldKeyType    = "%s 不适用于%s字段（%s）"
	msgFieldDecimals   = "decimals 应为 0 到 %d 之间的整数"
	msgFieldBound      = "应为数字或日期，实际是 %s"
	msgFieldName       = "name 只能用小写字母、数字、- 和 _"
	msgFieldReserved   = "字段名 %s 已被表单本身使用"
	msgFieldLabel      = "缺少 label"
	msgFieldType       = "type %s 不是 text、textarea、integer、number、date、select、multiselect、file 之一"
	msgFieldRequired   = "required 应为 true 或 false"
	msgFieldMax        = "max 应为正整数（文字的字数或文件的字节数）"
	msgFieldOptions    = "options：%s"
	msgFieldAccept     = "accept：%s"

	// site.yaml.
	msgConfigUnknown     = "未知的配置项 %s"
	msgConfigUnknownNear = "未知的配置项 %s；是否想写 %s？"
	msgConfigType        = "配置项的值类型不对：%s"
	msgConfigSyntax      = "格式错误：%s"

	// Describing values in messages.
	msgValueList    = "一个列表"
	msgValueMapping = "一个映射（键: 值）"
	msgValueDate    = "一个日期"
	msgValueOther   = "%T 类型的值"
)
