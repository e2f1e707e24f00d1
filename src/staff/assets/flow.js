/* Renders the staff flow diagram with the locally served Mermaid (no inline script: CSP script-src 'self'). */
/* global mermaid */
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral', flowchart: { htmlLabels: false } });
mermaid.run({ querySelector: 'pre.mermaid' });
