package collector

// Unhealthy says why the collector could not take a submission now; the
// collector's /healthz answers it as 503 with Reason and Message.
type Unhealthy struct {
	// Reason is one of the Health* constants.
	Reason string
	// Message says it in Chinese, for the operator.
	Message string
	// Err is the cause.
	Err error
}

// The reasons of Unhealthy.
const (
	HealthDiskFull = "disk_full"
	HealthLocked   = "locked"
	HealthReadOnly = "read_only"
	HealthCorrupt  = "corrupt"
	HealthIO       = "io_error"
	HealthClosed   = "closed"
)

func (e *Unhealthy) Error() string {
	if e.Err != nil {
		return e.Reason + ": " + e.Message + ": " + e.Err.Error()
	}
	return e.Reason + ": " + e.Message
}

func (e *Unhealthy) Unwrap() error { return e.Err }
