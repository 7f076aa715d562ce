import{a}from"./chunk-EHL3FLRL.js";import"./chunk-XHKUZKQ4.js";import"./chunk-JSAE4YC3.js";import"./chunk-FFUZZOF5.js";import"./chunk-WSYZC2SB.js";import"./chunk-N5UICCG3.js";import"./chunk-SJ6QZ22X.js";export{a as TrainingView};
//# sourceMappingURL=chunk-CLTVCUYF.js.map
