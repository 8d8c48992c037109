rule "xmrig"
