//go:build e2e

package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

const (
	taskTable   = ".task-status table"
	branchTable = "table.branch-status-table"
	boardTable  = "table.board-table"
	submitSel   = `#task-form button[type="submit"]`
)

// fillTaskForm fills every field of the task's form, as the branch yunshu,
// and attaches pdf. The summary names the version, so that the admin's view
// shows which one it is.
func fillTaskForm(t *testing.T, b *tab, p *portal, pdf string, version int) {
	t.Helper()
	summary := fmt.Sprintf("2026年支部工作总结（第%d稿）：全年召开支部党员大会12次，党费按时足额收缴。", version)
	b.step(t, "fill the task's form",
		chromedp.SetValue(chromedp.ID("f-branch"), "yunshu"),
		chromedp.SendKeys(chromedp.ID("f-code"), p.code),
		chromedp.SendKeys(chromedp.ID("f-summary"), summary),
		chromedp.SendKeys(chromedp.ID("f-contact"), "李明"),
		chromedp.SendKeys(chromedp.ID("f-meetings"), "12"),
		chromedp.SetValue(chromedp.ID("f-rating"), "好"),
		chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{pdf}),
	)
}

// testSubmitScript submits the task's form with JavaScript on: form.js
// sends it and shows the receipt in the page.
func testSubmitScript(t *testing.T, b *tab, p *portal, pdf string, version int) {
	b.open(t, taskPath)
	if version == 1 {
		if row := b.row(t, taskTable, branchTitle); row["状态"] != "待提交" {
			t.Errorf("%s before any submission: %s's row is %v, want 状态 待提交", taskPath, branchTitle, row)
		}
	}
	if b.count(t, "#form-message") == 0 {
		t.Fatalf("%s: form.js did not set up the form (no #form-message)", taskPath)
	}
	fillTaskForm(t, b, p, pdf, version)
	b.step(t, "click 提交", chromedp.Click(chromedp.CSS(submitSel)))
	want := []string{"提交成功", "回执编号", branchTitle, "第" + strconv.Itoa(version) + "版"}
	b.waitFor(t, fmt.Sprintf("form.js's receipt box with %q", want), stepTimeout, func() (bool, string) {
		receipt := b.text(t, "section.receipt")
		var errs []string
		b.eval(t, `Array.from(document.querySelectorAll("#task-form .field-error"), e => e.innerText).filter(s => s)`, &errs)
		return containsAll(receipt, want), fmt.Sprintf("receipt: %s\nform message: %s\nfield errors: %q",
			receipt, b.text(t, "#form-message"), errs)
	})
	if got := b.path(t); got != taskPath {
		t.Errorf("after the scripted submission the tab is on %s, want it still on %s", got, taskPath)
	}
}

// testSubmitPlain submits the form in a tab that runs no scripts: the
// browser posts it and lands on the collector's receipt page.
func testSubmitPlain(t *testing.T, b *tab, p *portal, pdf string) {
	nb := b.newTab(t, false)
	defer nb.clean(t)
	nb.open(t, taskPath)
	if nb.count(t, "#form-message") != 0 {
		t.Fatalf("%s: form.js ran in a tab with JavaScript off", taskPath)
	}
	fillTaskForm(t, nb, p, pdf, 2)
	nb.follow(t, "submit the form without JavaScript", chromedp.Click(chromedp.CSS(submitSel)))
	if got := nb.path(t); !strings.HasPrefix(got, "/api/receipts/") {
		t.Errorf("the plain POST landed on %s, want /api/receipts/<id>", got)
	}
	if got := nb.title(t); !strings.Contains(got, "提交回执") {
		t.Errorf("%s: title is %q, want it to contain 提交回执", nb.path(t), got)
	}
	if body := nb.text(t, "main"); !containsAll(body, []string{versionText(2), branchTitle, "回执编号"}) {
		t.Errorf("%s: the receipt does not show %s, %s and 回执编号:\n%s", nb.path(t), versionText(2), branchTitle, body)
	}
}

// testTaskStatus reloads the task page until the collector's re-render
// shows the branch's two versions.
func testTaskStatus(t *testing.T, b *tab, p *portal) {
	want := submittedLabel(p)
	b.waitFor(t, fmt.Sprintf("%s's row to show 状态 %s and 版本数 2", branchTitle, want), renderWait, func() (bool, string) {
		b.openFresh(t, taskPath)
		row := b.row(t, taskTable, branchTitle)
		return row["状态"] == want && row["版本数"] == "2", fmt.Sprint(row)
	})
}

// testReturn logs in at /admin/ and returns the newest version with a
// comment.
func testReturn(t *testing.T, b *tab, p *portal) {
	b.open(t, "/admin/login")
	b.step(t, "type the administrator's name and password",
		chromedp.SendKeys(chromedp.ID("name"), "admin"),
		chromedp.SendKeys(chromedp.ID("password"), p.password))
	b.follow(t, "log in", chromedp.Click(chromedp.CSS(`form button[type="submit"]`)))
	if got := b.path(t); got != "/admin/" {
		t.Fatalf("logging in led to %s, want /admin/; the page says:\n%s", got, b.text(t, "main"))
	}
	openNewest(t, b, 2)
	b.step(t, "type a comment", chromedp.SendKeys(chromedp.ID("comment-return"), comment))
	b.follow(t, "click 退回修改…", chromedp.Click(chromedp.CSS(`form.review-return button.return`)))
	if body := b.text(t, "main"); !containsAll(body, []string{"确认退回修改", comment}) {
		t.Fatalf("%s after 退回修改…: no confirmation with the comment:\n%s", b.path(t), body)
	}
	b.follow(t, "click 确认退回修改", chromedp.Click(chromedp.CSS(`form button.return`)))
	if body := b.text(t, "main"); !containsAll(body, []string{"退回修改", "意见：" + comment}) {
		t.Errorf("%s after 退回修改: the page does not show 退回修改 and 意见：%s:\n%s", b.path(t), comment, body)
	}
}

// openNewest opens the task in /admin/ and the newest version's 查看 link,
// which must be version n of the branch, not yet reviewed, with the PDF.
func openNewest(t *testing.T, b *tab, n int) {
	t.Helper()
	b.open(t, "/admin/")
	b.follow(t, "open the task in /admin/", chromedp.Click(chromedp.CSS(`main a[href$="/tasks/`+taskID+`"]`)))
	newest := b.text(t, "main table tbody tr")
	if !containsAll(newest, []string{branchTitle, versionText(n), "待审核"}) {
		t.Fatalf("%s: the newest version is not %s of %s, 待审核:\n%s", b.path(t), versionText(n), branchTitle, newest)
	}
	b.follow(t, "click the newest version's 查看", chromedp.Click(chromedp.CSS(`main table tbody tr td:last-child a`)))
	want := []string{versionText(n), fmt.Sprintf("第%d稿", n), "zongjie.pdf", "尚未审核"}
	if body := b.text(t, "main"); !containsAll(body, want) {
		t.Fatalf("%s: the submission does not show %q:\n%s", b.path(t), want, body)
	}
}

// testBranchReturned reloads the branch's page until it shows the return
// and its comment.
func testBranchReturned(t *testing.T, b *tab) {
	const path = "/branches/yunshu/"
	b.waitFor(t, fmt.Sprintf("the row of %s to show 退回修改 and 退回意见：%s", taskTitle, comment), renderWait, func() (bool, string) {
		b.openFresh(t, path)
		row := b.row(t, branchTable, taskTitle)
		return containsAll(row["状态"], []string{"退回修改", "退回意见：" + comment}), fmt.Sprint(row)
	})
}

// testResubmitApprove submits a third version with JavaScript on and
// approves it in /admin/. It returns the board's row for the branch as it
// was before the approval.
func testResubmitApprove(t *testing.T, b *tab, p *portal, pdf string) map[string]string {
	testSubmitScript(t, b, p, pdf, 3)
	b.openFresh(t, boardPath(p))
	before := b.row(t, boardTable, branchTitle)
	if before == nil || before["已通过"] == "" {
		t.Fatalf("%s: no row for %s with a 已通过 column", boardPath(p), branchTitle)
	}
	openNewest(t, b, 3)
	b.follow(t, "click 通过…", chromedp.Click(chromedp.CSS(`form.review-approve button.approve`)))
	b.follow(t, "click 确认通过", chromedp.Click(chromedp.CSS(`form button.approve`)))
	if body := b.text(t, "main"); !strings.Contains(body, "当前结果：已通过") {
		t.Errorf("%s after 通过: the page does not show 当前结果：已通过:\n%s", b.path(t), body)
	}
	return before
}

// testBoard reloads the assessment board until the branch's 已通过 count
// has gone up by one.
func testBoard(t *testing.T, b *tab, p *portal, before map[string]string) {
	n, err := strconv.Atoi(before["已通过"])
	if err != nil {
		t.Fatalf("%s before the approval: 已通过 is %q", boardPath(p), before["已通过"])
	}
	want := strconv.Itoa(n + 1)
	b.waitFor(t, fmt.Sprintf("%s's row to show 已通过 %s (it was %v)", branchTitle, want, before), renderWait, func() (bool, string) {
		b.openFresh(t, boardPath(p))
		row := b.row(t, boardTable, branchTitle)
		return row["已通过"] == want, fmt.Sprint(row)
	})
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// testAdminExport downloads the task's CSV from /admin/ in the logged-in
// tab: the header, the branch's versions, the ledger head (the BOM is
// checked by collector/web's TestAdminDownloadsAndOldVersion: XHR drops it).
func testAdminExport(t *testing.T, b *tab) {
	b.open(t, "/admin/tasks/"+taskID)
	var got string
	b.eval(t, `(function(){var x=new XMLHttpRequest();x.open("GET",location.pathname+"/export.csv",false);x.send();return x.status+" "+x.getResponseHeader("Content-Disposition")+" "+x.responseText;})()`, &got)
	if !strings.HasPrefix(got, "200 attachment") || !containsAll(got, []string{"回执编号", branchTitle, "账本树头"}) {
		t.Errorf("CSV export from /admin/: %.300s", got)
	}
}

// testMakeUp follows the branch page's 补报 link of a past month of the
// monthly task, finds that period chosen in the form, submits it with
// full-width digits and sees the receipt mark it late with the stored 12.
func testMakeUp(t *testing.T, b *tab, p *portal) {
	b.open(t, "/branches/yunshu/")
	var href string
	b.eval(t, `(function(){var a=document.querySelectorAll("a.answer-link");for(var i=0;i<a.length;i++){var h=a[i].getAttribute("href");if(/\/tasks\/zhutidangri\/\?period=\d{4}-\d{2}$/.test(h)&&a[i].textContent=="补报")return h;}return "";})()`, &href)
	if href == "" {
		t.Fatalf("/branches/yunshu/ has no 补报 link to a past month of zhutidangri")
	}
	period := href[strings.Index(href, "=")+1:]
	b.open(t, href)
	var chosen string
	b.eval(t, `document.getElementById("f-period").value`, &chosen)
	if chosen != period {
		t.Fatalf("%s: the form's 报送期次 is %q, want %q", href, chosen, period)
	}
	b.step(t, "fill in the make-up",
		chromedp.SetValue(chromedp.ID("f-branch"), "yunshu"),
		chromedp.SendKeys(chromedp.ID("f-code"), p.code),
		chromedp.SendKeys(chromedp.ID("f-theme"), "补报：重温入党誓词"),
		chromedp.SetValue(chromedp.ID("f-held"), period+"-15"),
		chromedp.SendKeys(chromedp.ID("f-attendance"), "１２"),
		chromedp.SendKeys(chromedp.ID("f-record"), "组织全体党员重温入党誓词。"))
	b.step(t, "click 提交", chromedp.Click(chromedp.CSS(submitSel)))
	want := []string{"提交成功", "逾期提交", "参加人数", "12"}
	b.waitFor(t, fmt.Sprintf("the make-up's receipt with %q", want), stepTimeout, func() (bool, string) {
		receipt := b.text(t, "section.receipt")
		return containsAll(receipt, want) && !strings.Contains(receipt, "１２"), "receipt: " + receipt + "\nform message: " + b.text(t, "#form-message")
	})
}

// testNoticeSignOff signs the example notice (已阅) with the branch's code
// and reloads the notice until its 签收情况 shows the branch 已签收.
func testNoticeSignOff(t *testing.T, b *tab, p *portal) {
	const path = "/tasks/2026-tongzhi-zhiban/"
	b.open(t, path)
	if row := b.row(t, taskTable, branchTitle); !strings.Contains(row["状态"], "未签收") {
		t.Errorf("%s before signing: %s's row is %v, want 未签收", path, branchTitle, row)
	}
	b.step(t, "fill in the sign-off",
		chromedp.SetValue(chromedp.ID("f-branch"), "yunshu"),
		chromedp.SendKeys(chromedp.ID("f-code"), p.code))
	b.step(t, "click 签收（已阅）", chromedp.Click(chromedp.CSS(submitSel)))
	b.waitFor(t, "the sign-off's receipt", stepTimeout, func() (bool, string) {
		receipt := b.text(t, "section.receipt")
		return strings.Contains(receipt, "提交成功"), "receipt: " + receipt + "\nform message: " + b.text(t, "#form-message")
	})
	b.waitFor(t, "the notice to show "+branchTitle+" 已签收", renderWait, func() (bool, string) {
		b.openFresh(t, path)
		row := b.row(t, taskTable, branchTitle)
		return strings.Contains(row["状态"], "已签收"), fmt.Sprint(row)
	})
}
