// Notices for CERTs and similar teams: the incident as an IODEF v2 document
// (RFC 7970) and as plain text following CISA's key elements of an incident
// report.
#pragma once

#include <string>

#include "report/abuse.h"
#include "report/model.h"

namespace irk::report {

// An IODEF-Document (version 2.00) with one Incident (purpose "reporting"):
// IncidentID, GenerationTime, DetectTime, StartTime/EndTime, a Description,
// an Assessment, the creator Contact, and one EventData per source with its
// Flow (source address, target host) and its log lines as RecordItems. All
// host text is escaped for XML; characters XML 1.0 cannot carry are shown
// as \xNN.
std::string IodefXml(const Report& report, const Reporter& us);

// The plain-text notice: date and time, location, type of activity,
// narrative, systems and accounts affected, organisation, point of contact,
// severity, sector, and who else was informed.
std::string CsirtNotice(const Report& report, const Reporter& us, const std::string& sector);

}  // namespace irk::report
