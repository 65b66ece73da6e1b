<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<context>
    <name>ChargerDetailPage</name>
    <message>
        <location filename="../qml/ChargerDetailPage.qml" line="+25"/>
        <source>Start charging</source>
        <translation>Laden starten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stop charging</source>
        <translation>Laden beenden</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 · connector %2</source>
        <translation>%1 · Anschluss %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>No longer connected</source>
        <translation>Nicht mehr verbunden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Draw</source>
        <translation>Bezug</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Limit</source>
        <translation>Grenze</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Session</source>
        <translation>Ladevorgang</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Start and stop need an operator PIN in the configuration</source>
        <translation>Start und Stopp brauchen eine Bediener-PIN in der Konfiguration</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Power today (kW)</source>
        <translation>Leistung heute (kW)</translation>
    </message>
</context>
<context>
    <name>Display</name>
    <message>
        <location filename="../qml/Display.qml" line="+31"/>
        <source>Available</source>
        <translation>Frei</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Occupied</source>
        <translation>Belegt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Charging</source>
        <translation>Lädt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Suspended</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Faulted</source>
        <translation>Störung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unavailable</source>
        <translation>Nicht verfügbar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reading</source>
        <translation>Aktuell</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No recent reading</source>
        <translation>Keine neuen Werte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failed</source>
        <translation>Ausgefallen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No meter</source>
        <translation>Kein Zähler</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connecting</source>
        <translation>Verbindet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unreachable</source>
        <translation>Nicht erreichbar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offline mode</source>
        <translation>Offline-Betrieb</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Network offline</source>
        <translation>Netzwerk getrennt</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 faulted</source>
        <translation>%1 gestört</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 offline</source>
        <translation>%1 offline</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 above its limit</source>
        <translation>%1 über der Grenze</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 refuses its limit</source>
        <translation>%1 lehnt die Grenze ab</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Meter problem</source>
        <translation>Zählerproblem</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CSMS unreachable</source>
        <translation>CSMS nicht erreichbar</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Start sent</source>
        <translation>Start gesendet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stop sent</source>
        <translation>Stopp gesendet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wrong PIN</source>
        <translation>Falsche PIN</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Too many wrong PINs: locked for a minute</source>
        <translation>Zu viele falsche PINs: eine Minute gesperrt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start and stop are not available</source>
        <translation>Start und Stopp sind nicht verfügbar</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The charger accepted the start</source>
        <translation>Die Ladestation hat den Start angenommen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The charger refused the start</source>
        <translation>Die Ladestation hat den Start abgelehnt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The charger accepted the stop</source>
        <translation>Die Ladestation hat den Stopp angenommen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The charger refused the stop</source>
        <translation>Die Ladestation hat den Stopp abgelehnt</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <location filename="../qml/HistoryPage.qml" line="+26"/>
        <source>Energy per day (kWh)</source>
        <translation>Energie pro Tag (kWh)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Energy</source>
        <translation>Energie</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Site power today (kW)</source>
        <translation>Standortleistung heute (kW)</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <location filename="../qml/OverviewPage.qml" line="+56"/>
        <source>No chargers connected yet</source>
        <translation>Noch keine Ladestation verbunden</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../qml/PinPad.qml" line="+44"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Enter the operator PIN</source>
        <translation>Bediener-PIN eingeben</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Clear</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>PowerChart</name>
    <message>
        <location filename="../qml/PowerChart.qml" line="+26"/>
        <source>h</source>
        <translation>h</translation>
    </message>
</context>
<context>
    <name>SitePanel</name>
    <message>
        <location filename="../qml/SitePanel.qml" line="+20"/>
        <source>Site load</source>
        <translation>Standortlast</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No phase readings</source>
        <translation>Keine Phasenwerte</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Meter</source>
        <translation>Zähler</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>CSMS</source>
        <translation>CSMS</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Backlog</source>
        <translation>Warteschlange</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n Nachricht</numerusform>
            <numerusform>%n Nachrichten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <location filename="../qml/StatusLine.qml" line="+25"/>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source> (+%n more)</source>
        <translation>
            <numerusform> (+%n weitere)</numerusform>
            <numerusform> (+%n weitere)</numerusform>
        </translation>
    </message>
</context>
</TS>
