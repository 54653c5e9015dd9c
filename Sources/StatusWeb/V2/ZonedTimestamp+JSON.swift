import HTTPServer
import StatusCore

/// Statuspage's timestamps, in the page's time zone, are what every JSON document of the
/// status page writes.
extension ZonedTimestamp: JSONTimestampFormat {}
