import{a}from"./chunk-MPDGBBEC.js";import"./chunk-ALEAWFUF.js";import"./chunk-DH3B2C3S.js";import"./chunk-HU7OL4UI.js";import"./chunk-KUL3PNOB.js";import"./chunk-UVAEPBX6.js";import"./chunk-LV6MNZPL.js";export{a as TrainingView};
//# sourceMappingURL=chunk-PEAXYKAB.js.map
