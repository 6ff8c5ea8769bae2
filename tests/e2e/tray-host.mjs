// A tray host of the test's own on its D-Bus session: the StatusNotifierWatcher that a desktop
// panel (KDE, GNOME's AppIndicator extension, waybar…) runs, so the app's tray icon registers
// with it, and a reader of what the icon shows (its label, its menu) over the bus, as the
// panel reads it. Speaks the StatusNotifierItem and com.canonical.dbusmenu protocols. It also
// plays a launcher with the Unity API (Plank, Dash to Dock, KDE's task manager): it holds
// com.canonical.Unity and records the counts apps send as LauncherEntry updates (badges).
import dbus from "dbus-next";

const { Message, Variant } = dbus;
const WATCHER = "org.kde.StatusNotifierWatcher";
const ITEM = "org.kde.StatusNotifierItem";
const PROPERTIES = "org.freedesktop.DBus.Properties";

export async function startTrayHost() {
  const bus = dbus.sessionBus();
  /** The items registered: their bus name and object path. */
  const items = [];
  const reply = (msg, signature = "", body = []) => bus.send(Message.newMethodReturn(msg, signature, body));
  bus.addMethodHandler((msg) => {
    if (msg.path !== "/StatusNotifierWatcher") return false;
    if (msg.interface === WATCHER && msg.member === "RegisterStatusNotifierItem") {
      // An item names its object path (on the caller's connection) or a bus name.
      const [named] = msg.body;
      const item = named.startsWith("/") ? { service: msg.sender, path: named } : { service: named, path: "/StatusNotifierItem" };
      items.push(item);
      reply(msg);
      bus.send(Message.newSignal("/StatusNotifierWatcher", WATCHER, "StatusNotifierItemRegistered", "s", [item.service + item.path]));
      return true;
    }
    if (msg.interface === WATCHER && msg.member === "RegisterStatusNotifierHost") {
      reply(msg);
      return true;
    }
    if (msg.interface === PROPERTIES) {
      const properties = {
        RegisteredStatusNotifierItems: new Variant("as", items.map((i) => i.service + i.path)),
        IsStatusNotifierHostRegistered: new Variant("b", true),
        ProtocolVersion: new Variant("i", 0),
      };
      if (msg.member === "Get") reply(msg, "v", [properties[msg.body[1]]]);
      else if (msg.member === "GetAll") reply(msg, "a{sv}", [properties]);
      else return false;
      return true;
    }
    return false;
  });
  await bus.requestName(WATCHER, 0);

  /** The last badge count each app sent (by its application:// URI), null when hidden. */
  const badges = new Map();
  await bus.requestName("com.canonical.Unity", 0);
  await bus.call(new Message({
    destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus", interface: "org.freedesktop.DBus",
    member: "AddMatch", signature: "s", body: ["type='signal',interface='com.canonical.Unity.LauncherEntry',member='Update'"],
  }));
  bus.on("message", (msg) => {
    if (msg.interface !== "com.canonical.Unity.LauncherEntry" || msg.member !== "Update") return;
    const [app, properties] = msg.body;
    const visible = properties["count-visible"]?.value ?? badges.has(app);
    const count = properties.count?.value;
    badges.set(app, visible ? Number(count ?? badges.get(app) ?? 0) : null);
  });

  const call = async (destination, path, iface, member, signature, body) =>
    (await bus.call(new Message({ destination, path, interface: iface, member, signature, body }))).body;
  const property = async (item, name) => (await call(item.service, item.path, PROPERTIES, "Get", "ss", [ITEM, name]))[0].value;

  /** The menu's entries: `{id, label}` of each (separators have no label). */
  async function menu(item) {
    const path = await property(item, "Menu");
    const [, layout] = await call(item.service, path, "com.canonical.dbusmenu", "GetLayout", "iias", [0, -1, []]);
    const [, , children] = layout;
    return children.map(({ value: [id, props] }) => ({ id, label: props.label?.value ?? null }));
  }

  return {
    items,
    badges,
    property,
    menu,
    /** Clicks the menu entry labelled `label`, as a panel does when it is chosen. */
    async click(item, label) {
      const entry = (await menu(item)).find((e) => e.label === label);
      if (!entry) throw new Error(`no menu entry "${label}"`);
      const path = await property(item, "Menu");
      await call(item.service, path, "com.canonical.dbusmenu", "Event", "isvu", [entry.id, "clicked", new Variant("i", 0), 0]);
    },
    stop: () => bus.disconnect(),
  };
}
