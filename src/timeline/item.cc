#include "timeline/item.h"

namespace irk::timeline {

OwnedEvent::OwnedEvent(const logs::Event& event)
    : fields_(event),
      time_text_(event.time_text),
      zone_(event.zone),
      file_(event.file),
      host_(event.host),
      service_(event.service),
      user_(event.user),
      method_(event.method),
      key_(event.key),
      command_(event.command),
      reason_(event.reason),
      raw_(event.raw) {
  // The copied views would dangle once the reader moves on.
  fields_.time_text = fields_.zone = fields_.file = fields_.host = fields_.service = {};
  fields_.user = fields_.method = fields_.key = fields_.command = fields_.reason = {};
  fields_.raw = {};
}

logs::Event OwnedEvent::view() const {
  logs::Event event = fields_;
  event.time_text = time_text_;
  event.zone = zone_;
  event.file = file_;
  event.host = host_;
  event.service = service_;
  event.user = user_;
  event.method = method_;
  event.key = key_;
  event.command = command_;
  event.reason = reason_;
  event.raw = raw_;
  return event;
}

}  // namespace irk::timeline
