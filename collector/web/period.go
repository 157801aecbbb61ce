package web

import (
	"errors"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/generator/site"
)

// obligation is the obligation an answer goes to (site.Task.Resolve: the
// named period, or the current one), its refusal mapped to the API's
// codes: 400 for a period written wrongly, 409 for one not open.
func obligation(t *site.Task, period string, now time.Time, loc *time.Location) (site.Obligation, error) {
	o, err := t.Resolve(period, now, loc)
	var pe *site.PeriodError
	if errors.As(err, &pe) {
		if pe.Conflict {
			return o, collector.Errorf(collector.ECONFLICT, "%s", pe.Message)
		}
		return o, &collector.Error{Code: collector.EINVALID, Message: pe.Message, Fields: map[string]string{"period": pe.Message}}
	}
	return o, err
}
